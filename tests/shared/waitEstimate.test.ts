import { describe, expect, it } from 'vitest';
import { earlyMinutesPerGroup, minutesPerGroup, pace, waitMinutes } from '../../shared/waitEstimate';

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

  it("takes the seal times as they are when the reader's clock is behind the server's", () => {
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

  it('estimates from the first sealed group: its call-to-seal time, shorter when desks work side by side', () => {
    expect(pace([{ calledAt: minutesAgo(6), sampledAt: minutesAgo(2) }], now)).toBe(4);
    // Two desks: two groups called at once, sealed a minute apart, is 2.5 minutes a group.
    const two = [
      { calledAt: minutesAgo(6), sampledAt: minutesAgo(2) },
      { calledAt: minutesAgo(6), sampledAt: minutesAgo(1) },
    ];
    expect(pace(two, now)).toBe(2.5);
    expect(earlyMinutesPerGroup([])).toBeNull();
    expect(earlyMinutesPerGroup([{ calledAt: null, sampledAt: minutesAgo(1) }])).toBeNull();
  });

  it('prefers the measured pace once three groups are sealed', () => {
    const sealed = [12, 9, 6].map((m) => ({ calledAt: minutesAgo(m + 20), sampledAt: minutesAgo(m) }));
    expect(pace(sealed, now)).toBe(3);
  });
});
