// Coverage (不漏一户、不漏一人): who of the roster is sampled this round, per building, unit and household.
import { naturalCompare } from './naturalOrder';

export type CoverageStatus = 'sampled' | 'registered' | 'not-yet';

/** One roster resident and where they stand this round. */
export interface CoverageResident {
  building: string;
  unit: string;
  household: string;
  status: CoverageStatus;
}

export interface CoverageCounts {
  /** Residents on the roster: everyone is due. */
  due: number;
  sampled: number;
  /** In a group at a point but the tube not sealed yet. */
  registered: number;
  notYet: number;
  households: number;
  /** Every member sampled. */
  householdsDone: number;
  /** Some members sampled, some not (一家人少人). */
  householdsPartial: number;
}

export interface UnitCoverage extends CoverageCounts {
  unit: string;
}

export interface BuildingCoverage extends CoverageCounts {
  building: string;
  units: UnitCoverage[];
}

export interface Coverage {
  total: CoverageCounts;
  buildings: BuildingCoverage[];
}

const byAddress = naturalCompare;

function emptyCounts(): CoverageCounts {
  return { due: 0, sampled: 0, registered: 0, notYet: 0, households: 0, householdsDone: 0, householdsPartial: 0 };
}

/** Counts residents and households; a resident without a household (a walk-in) counts as a household of one. */
function countOf(residents: readonly CoverageResident[]): CoverageCounts {
  const c = emptyCounts();
  const households = new Map<string, { size: number; sampled: number }>();
  residents.forEach((r, i) => {
    c.due++;
    if (r.status === 'sampled') c.sampled++;
    else if (r.status === 'registered') c.registered++;
    else c.notYet++;
    const key = r.household || `#${r.building}#${i}`;
    const h = households.get(key) ?? { size: 0, sampled: 0 };
    h.size++;
    if (r.status === 'sampled') h.sampled++;
    households.set(key, h);
  });
  c.households = households.size;
  for (const h of households.values()) {
    if (h.sampled === h.size) c.householdsDone++;
    else if (h.sampled > 0) c.householdsPartial++;
  }
  return c;
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

/** The round's coverage: totals, and each building and unit in address order. */
export function coverageOf(residents: readonly CoverageResident[]): Coverage {
  const buildings = [...groupBy(residents, (r) => r.building)]
    .sort(([a], [b]) => byAddress(a, b))
    .map(([building, inBuilding]) => ({
      building,
      ...countOf(inBuilding),
      units: [...groupBy(inBuilding, (r) => r.unit)]
        .sort(([a], [b]) => byAddress(a, b))
        .map(([unit, inUnit]) => ({ unit, ...countOf(inUnit) })),
    }));
  return { total: countOf(residents), buildings };
}

/** Percent done, rounded down so 99.9 % never shows as 100 %. */
export function percentDone(c: Pick<CoverageCounts, 'due' | 'sampled'>): number {
  return c.due === 0 ? 0 : Math.floor((c.sampled * 100) / c.due);
}

export interface TimelinePoint {
  /** Start of the bucket (ISO). */
  at: string;
  /** Sampled by the end of this bucket. */
  cumulative: number;
}

/**
 * Cumulative sampled people per time bucket (15 minutes by default), from the first sample
 * to the last, with empty buckets filled so the line is drawn at an even pace.
 */
export function samplingTimeline(sampledAt: readonly string[], bucketMinutes = 15): TimelinePoint[] {
  if (sampledAt.length === 0) return [];
  const size = bucketMinutes * 60_000;
  const buckets = sampledAt.map((t) => Math.floor(Date.parse(t) / size));
  const first = Math.min(...buckets);
  const last = Math.max(...buckets);
  const perBucket = new Array<number>(last - first + 1).fill(0);
  for (const b of buckets) perBucket[b - first]++;
  let sum = 0;
  return perBucket.map((n, i) => {
    sum += n;
    return { at: new Date((first + i) * size).toISOString(), cumulative: sum };
  });
}
