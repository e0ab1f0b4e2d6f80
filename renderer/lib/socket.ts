// The Socket.IO connection and a typed request helper that turns Reply<T> into T or a RequestError.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, Reply, ServerToClientEvents, Snapshot } from '../../shared/protocol';
import { RequestError } from './errors';

export type QueueSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const REQUEST_TIMEOUT_MS = 10_000;

/** Same origin, default path; the display and the turn page connect without a token. */
export function openQueueSocket(token: string | null): QueueSocket {
  return io({ auth: token ? { token } : {} });
}

export type WriteEvent = Exclude<keyof ClientToServerEvents, 'sync'>;
export type RequestOf<E extends WriteEvent> = Parameters<ClientToServerEvents[E]>[0];
export type ValueOf<E extends WriteEvent> = ClientToServerEvents[E] extends (
  req: never,
  ack: (r: Reply<infer T>) => void,
) => void
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
  if (!reply.ok) throw new RequestError(reply.error.code, reply.error.message, reply.error.retryAfterMs);
  return reply.value;
}

export function request<E extends WriteEvent>(socket: QueueSocket, event: E, req: RequestOf<E>): Promise<ValueOf<E>> {
  return ask<ValueOf<E>>(socket, event, req);
}

export function requestSnapshot(socket: QueueSocket): Promise<Snapshot> {
  return ask<Snapshot>(socket, 'sync');
}
