import { describe, expect, it } from 'vitest';
import { minutesPerGroup, waitMinutes } from '../../shared/waitEstimate';

const now = new Date('2026-04-01T10:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

describe('wait estimate from measured throughput', () => {
  it('measures the pace from the recent seals: five groups over 12 minutes is 3 minutes a group', () => {
    const sealed = [12, 9, 6, 3, 0].map(minutesAgo);
    expect(minutesPerGroup(sealed, now)).toBe(3);
    expect(waitMinutes(4, 3)).toBe(12);
  });

  it('forgets work older than the window, so a morning rush does not flatter the afternoon', () => {
    const sealed = [100, 95, 90, 20, 10].map(minutesAgo);
    expect(minutesPerGroup(sealed, now)).toBeNull();
    expect(minutesPerGroup([...sealed, minutesAgo(0)], now)).toBe(10);
  });

  it('takes the seal times as they are when the reader\'s clock is behind the server\'s', () => {
    const phoneBehind = new Date(now.getTime() - 5 * 60_000);
    expect(minutesPerGroup([4, 2, 0].map(minutesAgo), phoneBehind)).toBe(2);
  });

  it('gives no estimate before enough groups are sampled, or when all were sealed at one instant', () => {
    expect(minutesPerGroup([minutesAgo(5), minutesAgo(1)], now)).toBeNull();
    expect(minutesPerGroup([minutesAgo(1), minutesAgo(1), minutesAgo(1)], now)).toBeNull();
    expect(waitMinutes(3, null)).toBeNull();
  });

  it('rounds up to whole minutes and says zero for the group next in line', () => {
    expect(waitMinutes(0, 2.5)).toBe(0);
    expect(waitMinutes(1, 2.2)).toBe(3);
  });
});
