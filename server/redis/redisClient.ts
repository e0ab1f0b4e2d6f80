import { createClient } from 'redis';
import type { Logger } from '../log';

export type RedisClient = ReturnType<typeof createClient>;

/** Waits between reconnection attempts: quick at first, then every 2 s for as long as Redis is away. */
export const reconnectDelay = (retries: number) => Math.min(100 * 2 ** retries, 2000);

/**
 * The node's one Redis connection (live-change relay and shared limits). Redis going away must not
 * stop the node: the client reconnects by itself, and the outage and the recovery are logged once
 * each, not once per failed attempt.
 */
export async function connectRedis(url: string, logger: Logger): Promise<{ client: RedisClient; close(): Promise<void> }> {
  const client = createClient({ url, socket: { reconnectStrategy: reconnectDelay } });
  let reachable = true;
  client.on('error', (err: Error) => {
    if (!reachable) return;
    reachable = false;
    logger.warn(
      { err: { message: err.message } },
      'Redis is unreachable: this node serves its own clients only, and counts limits on its own, until it returns',
    );
  });
  client.on('ready', () => {
    if (reachable) return;
    reachable = true;
    logger.info('Redis is reachable again: live changes reach every node and limits are shared again');
  });
  await client.connect();
  return {
    client,
    async close() {
      // A graceful close waits for Redis to answer: during an outage there is nothing to wait for.
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}
