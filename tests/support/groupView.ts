import type { GroupView } from '../../shared/protocol';

/** A group as clients see it, for the view and reducer tests: a pooled group at A, one queued member unless given. */
export function groupView(id: number, state: GroupView['state'], extra: Partial<GroupView> = {}): GroupView {
  return {
    id,
    label: `A-00${id}`,
    point: 'A',
    kind: 'pooled',
    poolSize: 10,
    state,
    priority: false,
    tubeCode: null,
    members: [{ id: id * 10, position: 1, maskedName: '张*三', status: 'queued' }],
    createdAt: '2026-12-01T08:00:00.000Z',
    calledAt: null,
    sampledAt: null,
    ...extra,
  };
}
