// GET /api/turn/:group: a resident's turn page polls this instead of holding a socket. Public like
// the hall display (the group number on the ticket is all it takes) and cacheable for a few seconds
// by the browser or any proxy; a phone that sends back the tag it has gets a bodiless 304.
import { TURN_PATH, turnViews } from '../../shared/turnView';
import { ActionError } from '../queue/actionError';
import { polledRoute, type PolledRoute, type RecentSnapshot } from './polledPages';

const GROUP_PATH = /^\/api\/turn\/([1-9]\d{0,9})$/;

export function turnRoute(snapshots: RecentSnapshot): PolledRoute {
  return polledRoute<number>(snapshots, {
    path: TURN_PATH,
    keyOf: (path) => {
      const group = GROUP_PATH.exec(path);
      return group ? Number(group[1]) : null;
    },
    // Every group's view in one pass over the snapshot; each group's answer made when first asked.
    views: (snapshot, now) => {
      const views = turnViews(snapshot.groups, now);
      return (id) => views.get(id) ?? null;
    },
    invalid: () => new ActionError('request.invalid', { fields: 'group' }),
    missing: (id) => new ActionError('group.not-found', { id: String(id) }),
  });
}
