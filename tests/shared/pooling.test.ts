import { describe, expect, it } from 'vitest';
import { DEFAULT_POOL_SIZE, groupLabel, isPoolSize, placeNext, POOL_SIZES } from '../../shared/pooling';

/** Plays arrivals at one sampling point the way the server does: returns each person's group and position. */
function arrive(count: number, pointPoolSize: number, pointCode = 'A') {
  let seq = 0;
  let forming: { size: number; poolSize: number } | null = null;
  const placed: { group: string; position: number; full: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    const p = placeNext(forming, pointPoolSize);
    if (p.newGroup) seq++;
    placed.push({ group: groupLabel(pointCode, seq), position: p.position, full: p.full });
    forming = p.full ? null : { size: p.position, poolSize: p.poolSize };
  }
  return placed;
}

describe('pool sizes', () => {
  it('1, 5, 10 and 20 are in use, 10 by default', () => {
    expect(POOL_SIZES).toEqual([1, 5, 10, 20]);
    expect(DEFAULT_POOL_SIZE).toBe(10);
  });

  it('rejects sizes that are not used', () => {
    for (const n of [1, 5, 10, 20]) expect(isPoolSize(n)).toBe(true);
    for (const n of [0, 2, 3, 8, 11, 15, 100, -10, 10.5, NaN]) expect(isPoolSize(n)).toBe(false);
  });
});

describe('groups of ten (十混一)', () => {
  it('the first person at an empty point starts a new group at position 1', () => {
    expect(placeNext(null, 10)).toEqual({ newGroup: true, position: 1, poolSize: 10, full: false });
  });

  it('a group of ten fills in arrival order and the eleventh person starts group A-002', () => {
    const placed = arrive(11, 10);
    expect(placed.slice(0, 10).map((p) => p.group)).toEqual(Array(10).fill('A-001'));
    expect(placed.slice(0, 10).map((p) => p.position)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(placed.slice(0, 9).every((p) => !p.full)).toBe(true);
    expect(placed[9].full).toBe(true);
    expect(placed[10]).toEqual({ group: 'A-002', position: 1, full: false });
  });

  it('the tenth person fills the group', () => {
    expect(placeNext({ size: 9, poolSize: 10 }, 10)).toEqual({ newGroup: false, position: 10, poolSize: 10, full: true });
  });

  it('a group that is already full never takes an eleventh person', () => {
    expect(placeNext({ size: 10, poolSize: 10 }, 10)).toEqual({ newGroup: true, position: 1, poolSize: 10, full: false });
  });

  it('a filling group keeps its own pool size when staff change the point to groups of five', () => {
    expect(placeNext({ size: 6, poolSize: 10 }, 5)).toEqual({ newGroup: false, position: 7, poolSize: 10, full: false });
    // the next group after it uses the new size
    expect(placeNext({ size: 10, poolSize: 10 }, 5)).toEqual({ newGroup: true, position: 1, poolSize: 5, full: false });
  });

  it('at a single-tube point every person is their own full group', () => {
    const placed = arrive(3, 1, 'Q');
    expect(placed).toEqual([
      { group: 'Q-001', position: 1, full: true },
      { group: 'Q-002', position: 1, full: true },
      { group: 'Q-003', position: 1, full: true },
    ]);
  });

  it('groups of twenty: 45 people make two full groups and one of five', () => {
    const placed = arrive(45, 20, 'B');
    expect(placed.filter((p) => p.full).map((p) => p.group)).toEqual(['B-001', 'B-002']);
    expect(placed.filter((p) => p.group === 'B-003')).toHaveLength(5);
    expect(placed.at(-1)).toEqual({ group: 'B-003', position: 5, full: false });
  });
});

describe('group labels', () => {
  it('are per point and numbered with three digits', () => {
    expect(groupLabel('A', 1)).toBe('A-001');
    expect(groupLabel('A', 42)).toBe('A-042');
    expect(groupLabel('B', 999)).toBe('B-999');
  });

  it('keep counting past 999 rather than wrapping', () => {
    expect(groupLabel('A', 1000)).toBe('A-1000');
  });
});
