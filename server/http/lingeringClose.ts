// A request answered before its body was read (no role, wrong type, too large) is not read to its end:
// after the answer the connection is half-closed, the bytes still arriving are dropped for a moment so
// the client can read the answer (closing at once would reset it), and then it is closed. Go's net/http
// does the same.
import type { Socket } from 'node:net';

export const LINGER_MS = 1000;

export function closeAfterAnswer(socket: Socket): void {
  socket.end();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
