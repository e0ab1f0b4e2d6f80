import type { Server, Socket } from 'socket.io';
import { ZodError, type ZodType } from 'zod';
import {
  CallNextRequest,
  forDisplay,
  GroupActionRequest,
  MemberAbsentRequest,
  ScanRequest,
  WalkInRequest,
  type ClientToServerEvents,
  type HandshakeAuth,
  type Reply,
  type ServerToClientEvents,
  type Snapshot,
} from '../../shared/protocol';
import { MemberRemoveRequest } from '../../shared/memberRemove';
import { mayRequest, type SocketRequest } from '../../shared/permissions';
import { TubeLabelRequest } from '../../shared/tubeLabels';
import type { Limits, Rule } from '../limits/limits';
import type { Logger } from '../log';
import { ActionError } from '../queue/actionError';
import { zodFields } from '../http/errorText';
import { changeFanout } from './changeFanout';
import { AddressCap, OPEN_SOCKETS_PER_ADDRESS } from './connectionLimits';
import { scanLimiter, SCANS_PER_SECOND } from './rateLimit';
import type { QueueService } from '../queue/queueService';
import type { Actor } from '../../shared/roles';
import type { Access, AccessTokens } from '../security/accessTokens';
import { holdAccess } from './tokenSockets';
import { AnnounceRequest, HallSettingsRequest, MemberMoveRequest, MemberPresentRequest } from '../../shared/hall';
import type { HallService } from '../hall/hall';
import type { ChangeBus } from '../write/changeBus';

/** The sockets of the public display (and turn page): they are sent the display's reduced view. */
const DISPLAY_ROOM = 'role:display';

/** access: the token the socket connected with (none for the public display). */
type SocketData = { actor: Actor; access?: Access };
export type IoServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Socket.IO's own limit on one message; anything bigger is dropped before it reaches us. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** A connection that has not joined (sent its role) by then is closed: a page joins at once. */
export const JOIN_TIMEOUT_MS = 10_000;
/** Snapshots one connection may ask for: a page asks only after a gap (a round switch makes each ask once); a loop gets 2 a second. */
export const SYNCS: Rule = { points: 20, seconds: 10 };

function toError(err: unknown, logger: Logger): Reply<never> {
  if (err instanceof ActionError) return { ok: false, error: err.toApiError() };
  if (err instanceof ZodError)
    return { ok: false, error: new ActionError('request.invalid', { fields: zodFields(err, 'payload') }).toApiError() };
  logger.error({ err }, 'socket request failed');
  return { ok: false, error: new ActionError('server.internal').toApiError() };
}

/**
 * Wires the queue to Socket.IO: who may connect as what, a snapshot on every (re)connect,
 * every request validated and answered with one Reply, every change fanned out.
 */
export function attachQueueSockets(
  io: IoServer,
  { queue, hall, bus }: { queue: QueueService; hall: HallService; bus: ChangeBus },
  tokens: AccessTokens,
  logger: Logger,
  limits: Limits,
): void {
  const scans = scanLimiter(limits);
  const syncs = limits.limiter('syncs', SYNCS);
  const openCap = new AddressCap(OPEN_SOCKETS_PER_ADDRESS);
  /** An open (display) socket counts against its address's cap: beyond it, refused and its transport closed. */
  const capOpen = (socket: IoSocket): Error | null => {
    const address = socket.handshake.address;
    if (socket.conn.readyState !== 'open') return new Error('closed');
    if (!openCap.take(address)) {
      // After the refusal is sent, the transport goes too: a refused socket holds nothing open.
      setImmediate(() => socket.conn.close());
      return new Error('too-many-connections');
    }
    socket.conn.once('close', () => openCap.release(address));
    return null;
  };
  io.use((socket, next) => {
    const auth = (socket.handshake.auth ?? {}) as HandshakeAuth;
    const device = typeof auth.device === 'string' && /^[\w.-]{1,64}$/.test(auth.device) ? auth.device : socket.id;
    // No token: the public display (and turn page), which only ever sees masked data.
    if (auth.token === undefined) {
      const refused = capOpen(socket);
      if (refused) return next(refused);
      socket.data.actor = { role: 'display', device };
      return next();
    }
    // Checked against revocation once, here; a later logout or PIN change disconnects the socket (holdAccess).
    tokens.check(auth.token).then(
      (access) => {
        if (!access) return next(new Error('unauthorized'));
        const refused = access.role === 'display' ? capOpen(socket) : null;
        if (refused) return next(refused);
        socket.data.actor = { role: access.role, device };
        socket.data.access = access;
        next();
      },
      (err) => {
        logger.error({ err }, 'token check failed');
        next(new Error('unavailable'));
      },
    );
  });

  bus.subscribe(
    changeFanout((change) => {
      io.except(DISPLAY_ROOM).emit('change', change);
      io.to(DISPLAY_ROOM).emit('change', forDisplay(change));
    }),
  );

  io.on('connection', (socket: IoSocket) => {
    const { actor } = socket.data;
    if (socket.data.access) holdAccess(socket, socket.data.access);
    const shown = <T extends Snapshot>(s: T): T => (actor.role === 'display' ? forDisplay(s) : s);
    if (actor.role === 'display') void socket.join(DISPLAY_ROOM);
    queue.snapshot().then(
      (s) => socket.emit('snapshot', shown(s)),
      (err) => logger.error({ err }, 'snapshot failed'),
    );

    /** One request's answer: role check (shared/permissions), payload validation, one reply; a missing ack is tolerated. */
    function respond<T, R>(request: SocketRequest, schema: ZodType<T> | null, run: (req: T) => Promise<R>) {
      return (payload: unknown, ack: unknown) => {
        const reply = typeof ack === 'function' ? (ack as (r: Reply<R>) => void) : () => {};
        if (!mayRequest(actor.role, request)) {
          reply({ ok: false, error: new ActionError('auth.role-forbidden', { role: actor.role }).toApiError() });
          return;
        }
        Promise.resolve()
          .then(() => run(schema ? schema.parse(payload) : (undefined as T)))
          .then(
            (value) => reply({ ok: true, value }),
            (err) => reply(toError(err, logger)),
          );
      };
    }

    /** Registers a request under its event name (named once: the permissions table is keyed by it). */
    const handle = <T, R>(request: SocketRequest, schema: ZodType<T>, run: (req: T) => Promise<R>) =>
      socket.on(request, respond(request, schema, run));

    // Per kiosk device: a flood from one kiosk is refused before it reaches the database.
    const limited =
      <T, R>(run: (req: T) => Promise<R>) =>
      async (req: T) => {
        const wait = await scans.take(actor.device);
        if (wait) throw new ActionError('scan.too-fast', { perSecond: SCANS_PER_SECOND }).retryAfter(wait);
        return run(req);
      };
    handle(
      'scan',
      ScanRequest,
      limited((req) => queue.scan(actor, req)),
    );
    handle(
      'walk-in',
      WalkInRequest,
      limited((req) => queue.walkIn(actor, req)),
    );
    handle('group:action', GroupActionRequest, (req) => queue.groupAction(actor, req));
    handle('group:call-next', CallNextRequest, (req) => queue.callNext(actor, req));
    handle('member:absent', MemberAbsentRequest, (req) => queue.markAbsent(actor, req));
    // ---- hall ----
    handle('hall:announce', AnnounceRequest, (req) => hall.announce(actor, req));
    handle('hall:settings', HallSettingsRequest, (req) => hall.settings(actor, req));
    handle('member:present', MemberPresentRequest, (req) => hall.markPresent(actor, req));
    handle('member:move', MemberMoveRequest, (req) => queue.moveAbsent(actor, req));
    // ---- kiosk undo ----
    handle('member:remove', MemberRemoveRequest, (req) => queue.removeMember(actor, req));
    // ---- kiosk tubes ----
    handle('tube:label', TubeLabelRequest, (req) => queue.tubeLabel(actor, req));
    // A snapshot is the dearest read there is: a flood of them is refused per connection.
    // sync takes only an ack: the "payload" slot holds it.
    socket.on('sync', (ack: unknown) =>
      respond('sync', null, async () => {
        if (await syncs.take(socket.id)) throw new ActionError('sync.too-many');
        return shown(await queue.snapshot());
      })(undefined, ack),
    );
  });
}
