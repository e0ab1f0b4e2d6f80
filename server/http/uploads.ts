// Spreadsheet uploads (the roster, the lab's results) arrive as the raw request body: no multipart
// parsing. A lab's result file is read into memory (it is small); a roster is taken as a stream and
// saved as it arrives (server/roster/savedUpload.ts). Only the upload routes take such bodies, and
// only after the caller's role is checked: a caller without it is answered (and its connection
// closed) before a byte is read.
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { MAX_ROSTER_BYTES, MAX_WORKBOOK_BYTES } from '../../shared/api';
import { key as idempotencyKey } from '../../shared/ids';
import { ActionError } from '../queue/actionError';
import { checkXlsxSize } from '../roster/xlsxSizeGuard';
import type { AccessTokens } from '../security/accessTokens';
import { routeActor } from './routeGuard';

export const SPREADSHEET_TYPES = ['application/octet-stream', 'text/csv'];

/** Lets the routes of this (encapsulated) plugin take spreadsheet bodies read whole, up to the workbook limit. */
export function acceptSpreadsheets(app: FastifyInstance): void {
  app.addContentTypeParser(SPREADSHEET_TYPES, { parseAs: 'buffer', bodyLimit: MAX_WORKBOOK_BYTES }, (_req, body, done) => done(null, body));
}

/**
 * Lets the routes of this plugin take spreadsheet bodies as the stream itself (a roster). A body
 * declared over the limit is refused at once; one that grows past it is refused as it arrives.
 */
export function acceptStreamedSpreadsheets(app: FastifyInstance): void {
  app.addContentTypeParser(SPREADSHEET_TYPES, (req, payload, done) => {
    // Answered as the buffered parsers answer a body over the route's limit (httpServer.ts: 413).
    if (Number(req.headers['content-length']) > MAX_ROSTER_BYTES)
      done(Object.assign(new Error('body too large'), { statusCode: 413 }), undefined);
    else done(null, payload);
  });
}

/** Route options of an upload: the role is checked when the headers are in, before the body is read. */
export function uploadRoute(
  tokens: AccessTokens,
  bodyLimit = MAX_WORKBOOK_BYTES,
): { bodyLimit: number; onRequest: onRequestAsyncHookHandler } {
  return {
    bodyLimit,
    onRequest: async (req) => {
      routeActor(req, tokens);
    },
  };
}

/** The uploaded file read whole: present, and (for an XLSX) within its unpacked size limits. */
export async function uploadedFile(req: FastifyRequest): Promise<Buffer> {
  if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new ActionError('request.no-body');
  await checkXlsxSize(req.body);
  return req.body;
}

/** The streamed body of an upload route under acceptStreamedSpreadsheets. */
export function uploadStream(req: FastifyRequest): Readable {
  const body = req.body as Readable | undefined;
  if (!body || typeof body.pipe !== 'function') throw new ActionError('request.no-body');
  return body;
}

/** An upload's ?filename=… (the sheet of a CSV file is named after it) and ?key=… (the page's idempotency key). */
export function uploadQuery(req: FastifyRequest): { filename?: string; key: string | null } {
  const query = req.query as { filename?: unknown; key?: unknown };
  return {
    filename: typeof query.filename === 'string' ? query.filename : undefined,
    key: query.key === undefined ? null : idempotencyKey.parse(query.key),
  };
}
