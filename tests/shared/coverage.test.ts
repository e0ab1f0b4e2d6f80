import { describe, expect, it } from 'vitest';
import { coverageOf, percentDone, samplingTimeline, type CoverageResident, type CoverageStatus } from '../../shared/coverage';

const person = (household: string, status: CoverageStatus): CoverageResident => {
  const [building, unit] = household.split('-');
  return { building, unit, household, status };
};

describe('coverage of a round', () => {
  const residents = [
    // 1-1-101: everyone sampled
    person('1-1-101', 'sampled'),
    person('1-1-101', 'sampled'),
    // 1-1-102: grandmother still at home (一家人少人)
    person('1-1-102', 'sampled'),
    person('1-1-102', 'not-yet'),
    // 1-2-201: in the queue, tube not sealed
    person('1-2-201', 'registered'),
    // 10-1-101 and 2-1-101: nobody yet
    person('10-1-101', 'not-yet'),
    person('2-1-101', 'not-yet'),
  ];

  it('counts residents and households per building and unit, buildings in address order', () => {
    const c = coverageOf(residents);
    expect(c.total).toEqual({ due: 7, sampled: 3, registered: 1, notYet: 3, households: 5, householdsDone: 1, householdsPartial: 1 });
    expect(c.buildings.map((b) => b.building)).toEqual(['1', '2', '10']);
    expect(c.buildings[0]).toMatchObject({
      due: 5,
      sampled: 3,
      registered: 1,
      notYet: 1,
      households: 3,
      householdsDone: 1,
      householdsPartial: 1,
    });
    expect(c.buildings[0].units).toEqual([
      { unit: '1', due: 4, sampled: 3, registered: 0, notYet: 1, households: 2, householdsDone: 1, householdsPartial: 1 },
      { unit: '2', due: 1, sampled: 0, registered: 1, notYet: 0, households: 1, householdsDone: 0, householdsPartial: 0 },
    ]);
  });

  it('counts a resident without a household (a walk-in) as a household of one', () => {
    const c = coverageOf([
      { building: '', unit: '', household: '', status: 'sampled' },
      { building: '', unit: '', household: '', status: 'not-yet' },
    ]);
    expect(c.total).toMatchObject({ households: 2, householdsDone: 1, householdsPartial: 0 });
  });

  it('is empty for an empty roster', () => {
    expect(coverageOf([])).toEqual({
      total: { due: 0, sampled: 0, registered: 0, notYet: 0, households: 0, householdsDone: 0, householdsPartial: 0 },
      buildings: [],
    });
  });

  it('never shows 100 % before the last person', () => {
    expect(percentDone({ due: 1000, sampled: 999 })).toBe(99);
    expect(percentDone({ due: 4, sampled: 4 })).toBe(100);
    expect(percentDone({ due: 0, sampled: 0 })).toBe(0);
  });
});

describe('the sampling timeline', () => {
  it('adds up people per quarter hour, empty quarters included', () => {
    const times = ['2025-06-15T01:02:00Z', '2025-06-15T01:14:59Z', '2025-06-15T01:15:00Z', '2025-06-15T01:50:00Z'];
    expect(samplingTimeline(times)).toEqual([
      { at: '2025-06-15T01:00:00.000Z', cumulative: 2 },
      { at: '2025-06-15T01:15:00.000Z', cumulative: 3 },
      { at: '2025-06-15T01:30:00.000Z', cumulative: 3 },
      { at: '2025-06-15T01:45:00.000Z', cumulative: 4 },
    ]);
  });

  it('is empty before anyone is sampled and takes other bucket sizes', () => {
    expect(samplingTimeline([])).toEqual([]);
    expect(samplingTimeline(['2025-06-15T01:59:00Z', '2025-06-15T01:01:00Z'], 60)).toEqual([
      { at: '2025-06-15T01:00:00.000Z', cumulative: 2 },
    ]);
  });
});
