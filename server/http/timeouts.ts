// How long the HTTP server waits for a client. Socket.IO's websocket connections are not requests
// once upgraded (ws clears the socket's idle timer), and its long-polling requests arrive complete
// and are held by the server, so none of these cut a live page's connection.
export interface HttpTimeouts {
  /** All of a request's headers (slow-header clients). */
  headersMs: number;
  /** The whole request, body included: a 20 MB roster upload at about 1.5 Mbit/s. */
  requestMs: number;
  /** A socket with no traffic at all; above Socket.IO's 25 s ping interval, which a long poll waits out. */
  idleMs: number;
  /** An idle keep-alive connection after a response. */
  keepAliveMs: number;
  /** How often Node looks for requests past their time (the two timeouts above are checked this often). */
  checkEveryMs: number;
}

export const HTTP_TIMEOUTS: HttpTimeouts = {
  headersMs: 15_000,
  requestMs: 120_000,
  idleMs: 60_000,
  keepAliveMs: 10_000,
  checkEveryMs: 5_000,
};
