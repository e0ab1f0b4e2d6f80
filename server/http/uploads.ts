// Spreadsheet uploads (the roster, the lab's results) arrive as the raw request body: no multipart
// parsing, no temporary files. Only the upload routes take such bodies, and only after the caller's
// role is checked: a caller without it is answered (and its connection closed) before a byte is read.
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { MAX_ROSTER_BYTES } from '../../shared/api';
import { ActionError } from '../queue/actionError';
import { checkXlsxSize } from '../roster/xlsxSizeGuard';
import type { AccessTokens } from '../security/accessTokens';
import { routeActor } from './routeGuard';

export const SPREADSHEET_TYPES = ['application/octet-stream', 'text/csv'];

/** Lets the routes of this (encapsulated) plugin take spreadsheet bodies, up to the roster limit. */
export function acceptSpreadsheets(app: FastifyInstance): void {
  app.addContentTypeParser(SPREADSHEET_TYPES, { parseAs: 'buffer', bodyLimit: MAX_ROSTER_BYTES }, (_req, body, done) => done(null, body));
}

/** Route options of an upload: the role is checked when the headers are in, before the body is read. */
export function uploadRoute(tokens: AccessTokens): { bodyLimit: number; onRequest: onRequestAsyncHookHandler } {
  return {
    bodyLimit: MAX_ROSTER_BYTES,
    onRequest: async (req) => {
      routeActor(req, tokens);
    },
  };
}

/** The uploaded file: present, and (for an XLSX) within its unpacked size limits. */
export async function uploadedFile(req: FastifyRequest): Promise<Buffer> {
  if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new ActionError('request.no-body');
  await checkXlsxSize(req.body);
  return req.body;
}
