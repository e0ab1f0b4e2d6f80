import { describe, expect, it } from 'vitest';
import { invitedAt, overlappingSlots, scheduleNotice, type ScheduleSlot } from '../../shared/schedule';

// 09:00–09:30 Beijing time is 01:00–01:30 UTC.
const slots: ScheduleSlot[] = [
  { building: '3', point: 'A', start: '2025-06-15T01:00:00Z', end: '2025-06-15T01:30:00Z' },
  { building: '10', point: 'B', start: '2025-06-15T01:00:00Z', end: '2025-06-15T02:00:00Z' },
  { building: '4', point: 'A', start: '2025-06-15T01:30:00Z', end: '2025-06-15T02:00:00Z' },
];

describe('which buildings are invited', () => {
  it('includes a slot from its start and not at its end, buildings in address order', () => {
    expect(invitedAt(slots, new Date('2025-06-15T00:59:59Z'))).toEqual([]);
    expect(invitedAt(slots, new Date('2025-06-15T01:00:00Z'))).toEqual(['3', '10']);
    expect(invitedAt(slots, new Date('2025-06-15T01:30:00Z'))).toEqual(['4', '10']);
    expect(invitedAt(slots, new Date('2025-06-15T02:00:00Z'))).toEqual([]);
  });

  it('names a building once even with two slots at two points', () => {
    const twice = [...slots, { building: '3', point: 'B', start: '2025-06-15T01:00:00Z', end: '2025-06-15T01:30:00Z' }];
    expect(invitedAt(twice, new Date('2025-06-15T01:10:00Z'))).toEqual(['3', '10']);
  });

  it('finds a building given two overlapping slots; back-to-back slots are fine', () => {
    expect(overlappingSlots(slots)).toEqual([]);
    const back = { building: '3', point: 'A', start: '2025-06-15T01:30:00Z', end: '2025-06-15T02:00:00Z' };
    expect(overlappingSlots([...slots, back])).toEqual([]);
    const clash = { building: '3', point: 'B', start: '2025-06-15T01:20:00Z', end: '2025-06-15T01:40:00Z' };
    expect(overlappingSlots([...slots, clash]).map((s) => s.building)).toEqual(['3', '3']);
  });
});

describe('the notice for the building group chat', () => {
  it('gives the building, Beijing time and the point, whatever the computer clock zone', () => {
    const text = scheduleNotice(slots[0], '东门广场');
    expect(text).toMatch(/^【核酸检测通知】请3号楼居民于6月15日 09:00–09:30 到 A 采样点（东门广场）进行核酸采样。/);
    expect(text).toContain('居民码或身份证');
  });

  it('does not repeat a point named only by its code', () => {
    expect(scheduleNotice(slots[1], 'B')).toContain('10号楼居民于6月15日 09:00–10:00 到 B 采样点进行');
  });
});
