import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Adapter, BroadcastOptions } from 'socket.io-adapter';
import type { RedisClient } from '../redis/redisClient';
import type { IoServer } from './socketServer';

/**
 * Scale-out: nodes share broadcasts through a Redis stream. It only relays live changes;
 * clients never depend on it for missed ones (they re-fetch a snapshot on a version gap).
 *
 * While Redis is away a broadcast goes to this node's own clients only: the stock adapter would
 * first queue it for Redis, so a node's own displays would wait for Redis to come back. The
 * stream reader keeps its place and carries on when Redis returns; clients on other nodes then see
 * a version gap and resync.
 */
export function attachRedisAdapter(io: IoServer, client: RedisClient, streamName: string): void {
  const streams = createAdapter(client, { streamName });
  // A plain function: Socket.IO calls the adapter factory with `new`.
  io.adapter(function (nsp: Parameters<typeof streams>[0]) {
    const adapter: Adapter = streams(nsp);
    const broadcast = adapter.broadcast.bind(adapter);
    adapter.broadcast = (packet: unknown, opts: BroadcastOptions) =>
      broadcast(packet, client.isReady ? opts : { ...opts, flags: { ...opts.flags, local: true } });
    return adapter;
  });
}
