import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { IoServer } from './socketServer';

/**
 * Scale-out: nodes share broadcasts through a Redis stream. It only relays live changes;
 * clients never depend on it for missed ones (they re-fetch a snapshot on a version gap).
 */
export async function attachRedisAdapter(io: IoServer, url: string, streamName: string): Promise<() => Promise<void>> {
  const client = createClient({ url });
  await client.connect();
  io.adapter(createAdapter(client, { streamName }));
  return async () => {
    await client.quit();
  };
}
