// Plain HTTP is for this laptop only (the kiosk at http://localhost): a LAN device that asks for a page
// over HTTP is sent to the same page over HTTPS, where it gets a secure context (camera, service
// worker). API calls and sockets from the LAN over HTTP are refused rather than served: PINs and
// tokens never cross the Wi-Fi in the clear. The CA certificate stays on HTTP — a device fetches it
// before it trusts HTTPS, and it is public.
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { CA_CERT_PATH, isLoopback } from '../../shared/lanAccess';
import { ActionError } from '../queue/actionError';
import type { buildHttp } from '../http/httpServer';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

/** Whether a request came in on the HTTP port from another machine. */
export function isLanHttp(req: IncomingMessage): boolean {
  return !(req.socket as TLSSocket).encrypted && !isLoopback(req.socket.remoteAddress);
}

/** The request's host without its port, or null when it is missing or not a plain host name or address. */
function requestHost(req: IncomingMessage): string | null {
  const header = req.headers.host ?? '';
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d+)?$/.exec(header);
  return match ? match[1] : null;
}

export function redirectLanHttp(app: HttpApp, httpsPort: () => number, fallbackOrigin: () => string | undefined): void {
  app.addHook('onRequest', async (req, reply) => {
    if (!isLanHttp(req.raw) || req.url.split('?')[0] === CA_CERT_PATH) return;
    const host = requestHost(req.raw);
    const origin = host ? `https://${host}:${httpsPort()}` : fallbackOrigin();
    if ((req.method === 'GET' || req.method === 'HEAD') && !req.url.startsWith('/api/') && origin) {
      return reply.redirect(`${origin}${req.url}`, 308);
    }
    throw new ActionError('tls.https-only', { origin: origin ?? `:${httpsPort()}` });
  });
}
