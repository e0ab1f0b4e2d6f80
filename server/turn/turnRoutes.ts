// GET /api/turn/:group: a resident's turn page polls this instead of holding a socket. Public like
// the hall display (the group number on the ticket is all it takes) and cacheable for a few seconds
// by the browser or any proxy; a phone that sends back the tag it has gets a bodiless 304.
import { TURN_MAX_AGE_S, TURN_PATH } from '../../shared/turnView';
import type { buildHttp } from '../http/httpServer';
import { ActionError } from '../queue/actionError';
import { matchesTag, type TurnBoard } from './turnBoard';

type HttpApp = Awaited<ReturnType<typeof buildHttp>>;

const CACHE = `public, max-age=${TURN_MAX_AGE_S}`;

export function registerTurnRoutes(app: HttpApp, board: TurnBoard): void {
  app.get<{ Params: { group: string } }>(TURN_PATH, async (req, reply) => {
    if (!/^[1-9]\d{0,9}$/.test(req.params.group)) throw new ActionError('request.invalid', { fields: 'group' });
    const answer = await board.answer(Number(req.params.group));
    void reply.header('cache-control', CACHE);
    if (!answer) throw new ActionError('group.not-found', { id: req.params.group });
    void reply.header('etag', answer.etag);
    if (matchesTag(req.headers['if-none-match'], answer.etag)) return reply.status(304).send();
    return reply.type('application/json; charset=utf-8').send(answer.body);
  });
}
