// The baseline: bare Socket.IO on the same machine, with the same clients and rate. Each scan is
// acknowledged at once and a change of the same shape is broadcast through the same fan-out (one
// merged change per tick): no validation, no database.
import http from 'node:http';
import { Server } from 'socket.io';
import { changeFanout } from '../../server/socket/changeFanout';

const server = http.createServer();
const io = new Server(server, { serveClient: false });
let n = 0;
const broadcast = changeFanout((change) => io.emit('change', change));
io.on('connection', (socket) => {
  socket.on('scan', (_req: unknown, ack: (r: unknown) => void) => {
    const id = Math.floor(n / 10) + 1;
    const position = (n % 10) + 1;
    n += 1;
    ack({
      ok: true,
      value: {
        kind: 'added',
        resident: { name: '王建伟', household: '1-1-101', tags: [] },
        group: { id, label: `A-${id}`, position, poolSize: 10 },
        full: position === 10,
      },
    });
    const members = Array.from({ length: position }, (_, k) => ({
      id: n - position + k + 1,
      position: k + 1,
      maskedName: '王*伟',
      status: 'queued' as const,
    }));
    broadcast({
      version: n,
      groups: [
        {
          id,
          label: `A-${id}`,
          point: 'A',
          kind: 'pooled',
          poolSize: 10,
          state: position === 10 ? 'waiting' : 'forming',
          priority: false,
          tubeCode: null,
          members,
          createdAt: new Date().toISOString(),
          calledAt: null,
          sampledAt: null,
        },
      ],
      counts: { registered: n, sampled: 0, waitingGroups: id },
    });
  });
  socket.emit('snapshot', { version: n, groups: [] });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
});
