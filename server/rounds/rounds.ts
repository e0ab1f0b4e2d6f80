// Testing rounds (轮次): staff open one; the previous one closes; every count is per round.
import type { OpenRoundRequest, RoundSummary, ScheduleRequest } from '../../shared/roundsApi';
import { overlappingSlots, type ScheduleSlot } from '../../shared/schedule';
import { SAMPLING_UNIT_SETTING } from '../exports/exports';
import { ActionError } from '../queue/actionError';
import type { Actor } from '../../shared/roles';
import type { Store } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';
import { currentRound } from './currentRound';

export async function listRounds(store: Store): Promise<RoundSummary[]> {
  const rows = await store.read((tx) => tx.rounds().all());
  return rows.map((r) => ({ id: r.id, name: r.name, date: r.date, openedAt: r.opened_at, closedAt: r.closed_at, sampled: r.sampled }));
}

/**
 * Opens a round with its sampling points. Group numbers start again at 001 (they are per
 * round and point); people sampled in the last round are due again, and the round's visit
 * list starts from the roster's tags.
 */
export async function openRound(pipeline: WritePipeline, actor: Actor, req: OpenRoundRequest): Promise<RoundSummary> {
  const codes = req.points.map((p) => p.code);
  if (new Set(codes).size !== codes.length) throw new ActionError('rounds.point-twice');
  const at = pipeline.now().toISOString();
  return pipeline.run('round:open', req.key, req, async (tx) => {
    const previous = await tx.rounds().current();
    if (previous) await tx.rounds().close(previous.id, at);
    await tx.rounds().setPoints(req.points, at);
    if (req.samplingUnit) await tx.putSetting(SAMPLING_UNIT_SETTING, req.samplingUnit, true);
    const round = await tx.rounds().open(req.name, req.date, at);
    await tx.homeVisits().syncTagged(round.id, at);
    await tx.audit(
      { ...actor, action: 'round:open', subject: `round ${round.id}`, detail: `${req.name} ${req.date} ${codes.join(',')}` },
      at,
    );
    const reply: RoundSummary = { id: round.id, name: round.name, date: round.date, openedAt: at, closedAt: null, sampled: 0 };
    return { reply, announce: { newRound: true } };
  });
}

export async function schedule(store: Store): Promise<ScheduleSlot[]> {
  return store.read(async (tx) => tx.rounds().schedule((await currentRound(tx)).id));
}

/** Replaces the round's staggered schedule; displays and tablets hear of it at once. */
export async function setSchedule(pipeline: WritePipeline, actor: Actor, req: ScheduleRequest): Promise<ScheduleSlot[]> {
  const overlapping = overlappingSlots(req.slots);
  if (overlapping.length > 0) {
    throw new ActionError('schedule.overlap', { building: overlapping[0].building });
  }
  const at = pipeline.now().toISOString();
  const slots = [...req.slots].sort((a, b) => a.start.localeCompare(b.start));
  return pipeline.run('schedule:set', null, null, async (tx) => {
    const known = new Set((await tx.rounds().points()).map((p) => p.code));
    const unknown = slots.find((s) => !known.has(s.point));
    if (unknown) throw new ActionError('point.not-found', { point: unknown.point });
    const round = await currentRound(tx);
    await tx.rounds().replaceSchedule(round.id, slots);
    await tx.audit({ ...actor, action: 'schedule:set', subject: `round ${round.id}`, detail: `${slots.length} slots` }, at);
    return { reply: slots, announce: { schedule: slots } };
  });
}
