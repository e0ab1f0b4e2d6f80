// The Socket.IO connection and a typed request helper that turns Reply<T> into T or a RequestError.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Reply, ServerToClientEvents, Snapshot } from '../../shared/protocol';
import { refusedError, RequestError } from './errors';

export type QueueSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const REQUEST_TIMEOUT_MS = 10_000;

/** The token to connect with, asked for before every (re)connect so a renewed token is used; null: none. */
export type SocketCredentials = () => Promise<string | null>;

/** Same origin, default path; the display and the turn page connect without credentials. */
export function openQueueSocket(credentials: SocketCredentials | null): QueueSocket {
  if (!credentials) return io({ auth: {} });
  // An empty token (forgotten meanwhile) is refused, rather than connecting as the public display.
  return io({
    auth: (cb) =>
      void credentials().then(
        (token) => cb({ token: token ?? '' }),
        () => cb({ token: '' }),
      ),
  });
}

export type WriteEvent = Exclude<keyof ClientToServerEvents, 'sync'>;
export type RequestOf<E extends WriteEvent> = Parameters<ClientToServerEvents[E]>[0];
export type ValueOf<E extends WriteEvent> = ClientToServerEvents[E] extends (req: never, ack: (r: Reply<infer T>) => void) => void
  ? T
  : never;

/** The timeout-decorated socket loses the per-event typing for a generic event name; this is the shape we use. */
interface AckEmitter {
  timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> };
}

async function ask<T>(socket: QueueSocket, event: string, ...args: unknown[]): Promise<T> {
  // Refuse rather than let Socket.IO buffer the request: a buffered write could land long after the user gave up.
  if (!socket.connected) throw new RequestError('offline', 'not connected');
  let reply: Reply<T>;
  try {
    reply = (await (socket as unknown as AckEmitter).timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, ...args)) as Reply<T>;
  } catch (e) {
    throw new RequestError('timeout', e instanceof Error ? e.message : String(e));
  }
  if (!reply.ok) throw refusedError(reply.error);
  return reply.value;
}

export function request<E extends WriteEvent>(socket: QueueSocket, event: E, req: RequestOf<E>): Promise<ValueOf<E>> {
  return ask<ValueOf<E>>(socket, event, req);
}

export function requestSnapshot(socket: QueueSocket): Promise<Snapshot> {
  return ask<Snapshot>(socket, 'sync');
}
