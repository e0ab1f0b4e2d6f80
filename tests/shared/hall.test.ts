import { describe, expect, it } from 'vitest';
import { AnnounceRequest, hasRoom, HallSettingsRequest, leastBusyDesk, MAX_ANNOUNCEMENT } from '../../shared/hall';

const key = 'key-0001';

describe('hall rules', () => {
  it('lets groups in until the hall holds its capacity; no capacity means no limit', () => {
    expect(hasRoom({ capacity: 3 }, 2)).toBe(true);
    expect(hasRoom({ capacity: 3 }, 3)).toBe(false);
    expect(hasRoom({ capacity: null }, 40)).toBe(true);
  });

  it('sends a called group to the desk with the fewest groups, the lowest number on a tie', () => {
    expect(leastBusyDesk(1, [1, 1])).toBe(1);
    expect(leastBusyDesk(3, [])).toBe(1);
    expect(leastBusyDesk(3, [1])).toBe(2);
    expect(leastBusyDesk(3, [1, 2, 1])).toBe(3);
    expect(leastBusyDesk(3, [1, 2, 3, 2, 3])).toBe(1);
    // A group called before the hall had desks, or to a desk since removed, loads none of them.
    expect(leastBusyDesk(2, [null, 5, 1])).toBe(2);
  });

  it('accepts a one-line banner up to the limit and null to take it down', () => {
    expect(AnnounceRequest.parse({ key, text: '  请带好钥匙 ' }).text).toBe('请带好钥匙');
    expect(AnnounceRequest.parse({ key, text: null }).text).toBeNull();
    expect(AnnounceRequest.safeParse({ key, text: '' }).success).toBe(false);
    expect(AnnounceRequest.safeParse({ key, text: 'x'.repeat(MAX_ANNOUNCEMENT + 1) }).success).toBe(false);
    expect(AnnounceRequest.safeParse({ key, text: '第一行\n第二行' }).success).toBe(false);
  });

  it('takes whole numbers for capacity and desks, within bounds', () => {
    expect(HallSettingsRequest.safeParse({ key, point: 'A', capacity: 3, desks: 2 }).success).toBe(true);
    expect(HallSettingsRequest.safeParse({ key, point: 'A', capacity: null, desks: 1 }).success).toBe(true);
    expect(HallSettingsRequest.safeParse({ key, point: 'A', capacity: 0, desks: 1 }).success).toBe(false);
    expect(HallSettingsRequest.safeParse({ key, point: 'A', capacity: 2.5, desks: 1 }).success).toBe(false);
    expect(HallSettingsRequest.safeParse({ key, point: 'A', capacity: 2, desks: 10 }).success).toBe(false);
  });
});
