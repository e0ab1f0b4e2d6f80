// What a device needs to join the site: the server's HTTPS addresses (public: anyone on the Wi-Fi
// can find them) and the local CA certificate to install.
import { CA_CERT_PATH, TLS_INFO_PATH, type TlsInfo } from '../../shared/lanAccess';
import { ActionError } from '../queue/actionError';
import type { HttpsListener } from './httpsListener';
import type { buildHttp } from '../http/httpServer';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

export function registerTlsRoutes(app: HttpApp, listener: () => HttpsListener | null, httpPort: () => number): void {
  app.get(TLS_INFO_PATH, async (): Promise<TlsInfo> => {
    const https = listener();
    return {
      httpPort: httpPort(),
      httpsPort: https?.port ?? null,
      origins: https?.origins() ?? [],
      caFingerprint: https?.tls.ca?.fingerprint ?? null,
    };
  });

  app.get(CA_CERT_PATH, async (_req, reply) => {
    const ca = listener()?.tls.ca;
    if (!ca) throw new ActionError('tls.no-local-ca');
    // application/x-x509-ca-cert: Android and iOS offer to install it; Windows opens it in its certificate dialog.
    return reply.type('application/x-x509-ca-cert').header('content-disposition', 'attachment; filename="nat-queue-ca.crt"').send(ca.cert);
  });
}
