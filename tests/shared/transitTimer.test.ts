import { describe, expect, it } from 'vitest';
import { checkLimits, DEFAULT_TRANSIT_LIMITS, transitAlerts } from '../../shared/transitTimer';

const now = new Date('2026-11-22T12:00:00.000Z');
const sealedMinutesAgo = (code: string, minutes: number, handedOverAt: string | null = null) => ({
  tubeCode: code,
  sealedAt: new Date(now.getTime() - minutes * 60_000).toISOString(),
  handedOverAt,
});

describe('the transit timer', () => {
  it('says nothing about tubes sealed less than two hours ago', () => {
    expect(transitAlerts([sealedMinutesAgo('T00001', 0), sealedMinutesAgo('T00002', 119)], now)).toEqual([]);
  });

  it('warns at two hours and calls a tube overdue at four, longest waiting first', () => {
    const alerts = transitAlerts([sealedMinutesAgo('T00001', 120), sealedMinutesAgo('T00002', 250), sealedMinutesAgo('T00003', 239)], now);
    expect(alerts.map((a) => [a.tubeCode, a.minutes, a.level])).toEqual([
      ['T00002', 250, 'overdue'],
      ['T00003', 239, 'warn'],
      ['T00001', 120, 'warn'],
    ]);
  });

  it('stops counting once the courier has the tube', () => {
    expect(transitAlerts([sealedMinutesAgo('T00001', 300, '2026-11-22T11:00:00.000Z')], now)).toEqual([]);
  });

  it('follows the limits staff set', () => {
    const alerts = transitAlerts([sealedMinutesAgo('T00001', 45), sealedMinutesAgo('T00002', 95)], now, {
      warnMinutes: 30,
      hardMinutes: 90,
    });
    expect(alerts.map((a) => a.level)).toEqual(['overdue', 'warn']);
  });

  it('defaults to 2 h and 4 h, and refuses limits past four hours or in the wrong order', () => {
    expect(DEFAULT_TRANSIT_LIMITS).toEqual({ warnMinutes: 120, hardMinutes: 240 });
    expect(checkLimits(DEFAULT_TRANSIT_LIMITS)).toBeNull();
    expect(checkLimits({ warnMinutes: 60, hardMinutes: 300 })).toEqual({ reason: 'limits.hard-too-high', params: { max: 240 } });
    expect(checkLimits({ warnMinutes: 120, hardMinutes: 90 })).toMatchObject({ reason: 'limits.warn-after-hard' });
    expect(checkLimits({ warnMinutes: 0, hardMinutes: 90 })).toMatchObject({ reason: 'limits.warn-too-low' });
    expect(checkLimits({ warnMinutes: 1.5, hardMinutes: 90 })).toMatchObject({ reason: 'limits.whole-minutes' });
  });
});
