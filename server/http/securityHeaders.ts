// Security headers on every answer (pages, assets, API, errors), through @fastify/helmet.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyHelmetOptions } from '@fastify/helmet';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * What the built pages need and nothing more: scripts and styles from the server itself (Vue's
 * compiled templates need no eval), QR codes as data: images, the camera's frames as blob:/media,
 * Socket.IO over ws:/wss: to the same host; and no page of ours inside anyone's frame.
 */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  // WebAssembly, not JavaScript eval: the kiosk's name voice compiles espeak-ng.
  scriptSrc: ["'self'", "'wasm-unsafe-eval'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'", 'ws:', 'wss:'],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export const SECURITY_HEADERS: FastifyHelmetOptions = {
  // Not helmet's defaults: those add upgrade-insecure-requests, which breaks a site served over plain HTTP on its LAN.
  contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
  xFrameOptions: { action: 'deny' },
  // HSTS belongs to whoever terminates TLS; on a LAN address over HTTP it would only confuse browsers.
  strictTransportSecurity: false,
};

/**
 * The same headers as a fixed list, for answers written before Fastify sees the request (the polled
 * phone pages, server/turn/polledPages.ts): helmet run once against a response that only records.
 */
export function securityHeaderList(): [string, string][] {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => void headers.set(name.toLowerCase(), String(value)),
    removeHeader: (name: string) => void headers.delete(name.toLowerCase()),
  };
  helmet(SECURITY_HEADERS as HelmetOptions)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return [...headers];
}
