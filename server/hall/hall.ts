// The hall at each sampling point: capacity and desks (settings), the banner, desks of called
// groups and members ticked off at the door. Writes go through the write pipeline, so each is
// idempotent and reaches every display and tablet as a versioned change.
import {
  DEFAULT_HALL,
  hasRoom,
  leastBusyDesk,
  type AnnounceRequest,
  type HallSettingsRequest,
  type HallView,
  type MemberPresentRequest,
  type PointHall,
} from '../../shared/hall';
import type { GroupView } from '../../shared/protocol';
import { ActionError } from '../queue/actionError';
import { lockMarkableMember } from '../queue/markableMember';
import { groupViews } from '../queue/groupViews';
import { permit } from '../queue/permit';
import type { Actor } from '../../shared/roles';
import type { GroupRow, StoreTx } from '../store/store';
import type { WritePipeline, WriteOptions } from '../write/writePipeline';

const ANNOUNCEMENT = 'hall:announcement';
const pointKey = (code: string) => `hall:point:${code}`;

async function pointHall(tx: StoreTx, code: string): Promise<PointHall> {
  const stored = await tx.setting(pointKey(code));
  return { point: code, ...DEFAULT_HALL, ...(stored ? (JSON.parse(stored) as Partial<PointHall>) : {}) };
}

export async function hallView(tx: StoreTx): Promise<HallView> {
  const stored = await tx.setting(ANNOUNCEMENT);
  const points = await Promise.all((await tx.rounds().points()).map((p) => pointHall(tx, p.code)));
  return { announcement: stored ? (JSON.parse(stored) as HallView['announcement']) : null, points };
}

/**
 * A group is about to be called in: refused when its point's hall is full, otherwise sent to
 * the least busy desk. The point is locked first, so two calls at once count each other.
 */
export async function admitCall(tx: StoreTx, group: GroupRow): Promise<void> {
  const point = (await tx.rounds().points()).find((p) => p.id === group.point_id);
  if (!point || !(await tx.queue().lockPoint(point.code)))
    throw new ActionError('point.not-found', { point: point?.code ?? String(group.point_id) });
  const hall = await pointHall(tx, point.code);
  const indoors = await tx.hall().indoorDesks(group.round_id, point.id);
  if (!hasRoom(hall, indoors.length)) {
    throw new ActionError('hall.full', { point: point.code, indoors: indoors.length, capacity: hall.capacity ?? indoors.length });
  }
  await tx.hall().setDesk(group.id, leastBusyDesk(hall.desks, indoors));
}

/** Hall writes join the queue's group commits: they come from the same tablets, at the same moments. */
const GROUPED: WriteOptions = { grouped: true };

export class HallService {
  constructor(private readonly pipeline: WritePipeline) {}

  async announce(actor: Actor, req: AnnounceRequest): Promise<HallView> {
    permit(actor, 'hall:announce');
    return this.pipeline.run(
      'hall:announce',
      req.key,
      req,
      async (tx) => {
        const at = this.pipeline.now().toISOString();
        await tx.putSetting(ANNOUNCEMENT, req.text === null ? 'null' : JSON.stringify({ text: req.text, at }), true);
        // The banner text is public (it is on the wall), so the audit keeps it.
        await tx.audit({ ...actor, action: 'hall:announce', subject: 'banner', detail: req.text ?? '' }, at);
        const hall = await hallView(tx);
        return { reply: hall, announce: { hall } };
      },
      GROUPED,
    );
  }

  async settings(actor: Actor, req: HallSettingsRequest): Promise<HallView> {
    permit(actor, 'hall:settings');
    return this.pipeline.run(
      'hall:settings',
      req.key,
      req,
      async (tx) => {
        if (!(await tx.queue().lockPoint(req.point))) throw new ActionError('point.not-found', { point: req.point });
        const at = this.pipeline.now().toISOString();
        await tx.putSetting(pointKey(req.point), JSON.stringify({ capacity: req.capacity, desks: req.desks }), true);
        await tx.audit(
          { ...actor, action: 'hall:settings', subject: req.point, detail: `capacity ${req.capacity ?? 'none'}, desks ${req.desks}` },
          at,
        );
        const hall = await hallView(tx);
        return { reply: hall, announce: { hall } };
      },
      GROUPED,
    );
  }

  async markPresent(actor: Actor, req: MemberPresentRequest): Promise<GroupView> {
    permit(actor, 'member:present');
    return this.pipeline.run(
      'member:present',
      req.key,
      req,
      async (tx) => {
        const { member, group } = await lockMarkableMember(tx, req.memberId, 'hall.tick-not-queued');
        await tx.hall().setPresent(member.id, req.present);
        await tx.audit(
          { ...actor, action: req.present ? 'member:present' : 'member:not-present', subject: group.label, detail: `member ${member.id}` },
          this.pipeline.now().toISOString(),
        );
        const [view] = await groupViews(tx, [group.id]);
        return { reply: view, announce: { groups: [group.id] } };
      },
      GROUPED,
    );
  }
}
