// The round's coverage for staff: counts from the roster and the members table, and the drill-down.
import { coverageOf, samplingTimeline, type CoverageStatus } from '../../shared/coverage';
import type { CoverageReport, HouseholdCoverage } from '../../shared/roundsApi';
import { currentRound } from '../rounds/currentRound';
import type { Store } from '../store/store';
import type { RoundResident } from '../store/roundStore';
import { naturalCompare } from '../../shared/naturalOrder';

export function statusOf(r: Pick<RoundResident, 'status'>): CoverageStatus {
  return r.status === 'sampled' ? 'sampled' : r.status === 'queued' ? 'registered' : 'not-yet';
}

export async function coverageReport(store: Store): Promise<CoverageReport> {
  return store.read(async (tx) => {
    const round = await currentRound(tx);
    const residents = await tx.rounds().residents(round.id);
    return {
      round: { id: round.id, name: round.name, date: round.date },
      coverage: coverageOf(residents.map((r) => ({ building: r.building, unit: r.unit, household: r.household, status: statusOf(r) }))),
      timeline: samplingTimeline(await tx.rounds().sampledTimes(round.id)),
    };
  });
}

/** One building's households with names, rooms and status: for staff who go and knock. */
export async function buildingCoverage(store: Store, building: string): Promise<HouseholdCoverage[]> {
  return store.read(async (tx) => {
    const round = await currentRound(tx);
    const residents = await tx.rounds().residents(round.id, building);
    const visits = new Map((await tx.homeVisits().ofResidents(round.id, residents.map((r) => r.id))).map((v) => [v.resident_id, v.status]));
    const households = new Map<string, HouseholdCoverage>();
    for (const r of residents) {
      const key = r.household || `#${r.id}`;
      const h = households.get(key) ?? { household: r.household, unit: r.unit, room: r.room, members: [] };
      h.members.push({ name: r.name, status: statusOf(r), homeVisit: visits.get(r.id) ?? null });
      households.set(key, h);
    }
    return [...households.values()].sort((a, b) => naturalCompare(a.household, b.household));
  });
}
