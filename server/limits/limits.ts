// Every limit a node enforces (scans per kiosk, wrong PINs and own-result checks per address, and
// whatever a later route needs) comes from one factory, built once per node from its config: counted
// in Redis and so shared by all nodes when REDIS_URL is set, in this process otherwise.
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RedisClient } from '../redis/redisClient';

/** `points` actions per key in each window of `seconds` (whole seconds: Redis keys expire in seconds). */
export interface Rule {
  points: number;
  seconds: number;
}

/** One kind of action, counted per key (an address, a device). */
export interface Limiter {
  /** Counts one action at once (atomically, on every node); resolves to 0 when it is allowed, else the milliseconds until the key may act again. */
  take(key: string): Promise<number>;
  /** Gives back one action counted by `take` (a login that turned out to be right). */
  refund(key: string): Promise<void>;
}

export interface Limits {
  /**
   * A limiter named for what it counts (its keys' prefix). With `burst`, an action over `rule` may
   * still draw on a second, slower allowance: a kiosk's outbox replays many scans at once.
   */
  limiter(name: string, rule: Rule, burst?: Rule): Limiter;
}

function wrap(limiter: RateLimiterAbstract | BurstyRateLimiter, refundTo: RateLimiterAbstract): Limiter {
  return {
    async take(key) {
      try {
        await limiter.consume(key);
        return 0;
      } catch (res) {
        if (res instanceof RateLimiterRes) return Math.max(1, res.msBeforeNext);
        throw res;
      }
    },
    async refund(key) {
      await refundTo.reward(key);
    },
  };
}

function build(make: (name: string, rule: Rule) => RateLimiterAbstract): Limits {
  return {
    limiter(name, rule, burst) {
      const main = make(name, rule);
      return wrap(burst ? new BurstyRateLimiter(main, make(`${name}:burst`, burst)) : main, main);
    },
  };
}

/** Limits counted in this process: one node on its own (SQLite, or PostgreSQL without Redis). */
export function memoryLimits(): Limits {
  return build((name, rule) => new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.seconds }));
}

/**
 * Limits counted in Redis, shared by every node of one community (keys under `prefix`: several
 * communities may share one Redis). While Redis is unreachable each node counts in its own memory
 * (the insurance limiter) instead of refusing everyone or letting everything through; it goes back
 * to Redis by itself once Redis answers again.
 */
export function redisLimits(client: RedisClient, prefix: string): Limits {
  return build(
    (name, rule) =>
      new RateLimiterRedis({
        storeClient: client,
        useRedisPackage: true,
        // Not ready (reconnecting): straight to the insurance limiter, never a request held until Redis returns.
        rejectIfRedisNotReady: true,
        keyPrefix: `${prefix}:limit:${name}`,
        points: rule.points,
        duration: rule.seconds,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points: rule.points, duration: rule.seconds }),
      }),
  );
}
