// The Socket.IO events and their payloads: every event is named here, each payload typed once (here,
// or beside its feature's rule: hall, undo, tube labels). Servers validate requests with these schemas
// at the edge; clients and servers share the inferred types.
import { z } from 'zod';
import type { CrowdingThresholds } from './crowding';
import { key, pointCode, tubeCode } from './ids';
import type { ScheduleSlot } from './schedule';
import { GROUP_ACTIONS, type GroupState } from './groupStates';
import type { RetestReason } from './labResults';
import type { MemberRemoveRequest } from './memberRemove';
import type { TubeLabelRequest } from './tubeLabels';
import { ID_TYPES, MAX_ID_NOTE, MAX_NATIONALITY, NUMBERED_ID_TYPES, type IdFault, type IdType } from './idTypes';
import { TUBE_MODES } from './tubeModes';
import type { ErrorCode, Refusal } from './reasons';
import type { AnnounceRequest, HallSettingsRequest, HallView, MemberMoveRequest, MemberPresentRequest } from './hall';

export const MAX_SCAN_INPUT = 256;

export const ScanRequest = z.strictObject({
  key,
  point: pointCode,
  input: z.string().min(1).max(MAX_SCAN_INPUT),
  /** The ID type chosen for a typed number; a resident ID when absent. A resident code is a code whatever the type. */
  idType: z.enum(NUMBERED_ID_TYPES).optional(),
  /** When the kiosk took the scan (it may have waited in the offline outbox). */
  scannedAt: z.iso.datetime().optional(),
  // ---- kiosk tubes and offline outbox ----
  /** The kiosk's tube mode; pooled when absent. */
  mode: z.enum(TUBE_MODES).optional(),
  /** Taken while the kiosk was offline and replayed from its outbox. */
  offline: z.boolean().optional(),
});
export type ScanRequest = z.infer<typeof ScanRequest>;

/** Control characters (NUL, bell, escape …) and bidirectional overrides: never part of a name or an address. */
const CONTROL_CHARS = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;
/** Typed text that goes on the roster: trimmed, at most `max` characters, no control characters. */
const typedText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .refine((s) => !CONTROL_CHARS.test(s), 'holds a control character (such as NUL or bell); type it again');

export const WalkInRequest = z.strictObject({
  key,
  point: pointCode,
  name: typedText(40).pipe(z.string().min(1, 'type the name')),
  /** A resident ID when absent. */
  idType: z.enum(ID_TYPES).optional(),
  /** Empty for 无证件. */
  idNumber: typedText(32),
  /** A passport's. */
  nationality: typedText(MAX_NATIONALITY).optional(),
  /** 无证件: why, and who confirmed the person. */
  idNote: typedText(MAX_ID_NOTE).optional(),
  phone: typedText(20).optional(),
  building: typedText(20).optional(),
  unit: typedText(20).optional(),
  room: typedText(20).optional(),
});
export type WalkInRequest = z.infer<typeof WalkInRequest>;

export const GroupActionRequest = z.strictObject({
  key,
  groupId: z.number().int().positive(),
  action: z.enum(GROUP_ACTIONS),
  tubeCode: tubeCode.optional(),
});
export type GroupActionRequest = z.infer<typeof GroupActionRequest>;

export const CallNextRequest = z.strictObject({ key, point: pointCode });
export type CallNextRequest = z.infer<typeof CallNextRequest>;

export const MemberAbsentRequest = z.strictObject({ key, memberId: z.number().int().positive() });
export type MemberAbsentRequest = z.infer<typeof MemberAbsentRequest>;

// ---- What the server sends --------------------------------------------------------------

export const MEMBER_STATUSES = ['queued', 'absent', 'sampled'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/**
 * A group as every client sees it: names masked, no ID numbers, phones or rooms. The public
 * display is sent less (`displayGroup`): no kind, no priority.
 */
export interface GroupView {
  id: number;
  label: string;
  point: string;
  /** Absent in the display's view: a single tube (quarantine) would single its person out by masked name. */
  kind?: 'pooled' | 'single';
  poolSize: number;
  state: GroupState;
  /** Green channel (绿色通道); absent in the display's view, for the same reason. */
  priority?: boolean;
  tubeCode: string | null;
  members: {
    id: number;
    position: number;
    maskedName: string;
    status: MemberStatus;
    /** Ticked off at the door (hall). */ present?: boolean;
  }[];
  createdAt: string;
  calledAt: string | null;
  sampledAt: string | null;
  /** The desk the group was called to (hall), while it is called or sampling. */
  desk?: number | null;
}

/** The display's view of a group: a single tube or a green-channel group reads as any other there. */
export function displayGroup({ kind: _kind, priority: _priority, ...shown }: GroupView): GroupView {
  return shown;
}

/** A snapshot or change as the display role is sent it. */
export function forDisplay<T extends { groups: GroupView[] }>(data: T): T {
  return { ...data, groups: data.groups.map(displayGroup) };
}

export interface PointView {
  code: string;
  name: string;
  poolSize: number;
}

export interface Counts {
  /** People placed in a group this round (absent ones excluded). */
  registered: number;
  sampled: number;
  waitingGroups: number;
}

export interface RoundView {
  id: number;
  name: string;
  date: string;
}

/** Everything a client needs to draw its page; sent on every (re)connect. */
export interface Snapshot {
  version: number;
  round: RoundView;
  points: PointView[];
  /** Groups not yet sampled, and the most recently sampled ones. */
  groups: GroupView[];
  counts: Counts;
  /** Capacity, desks and the announcement banner (hall). */
  hall?: HallView;
  /** The round's staggered schedule: clients show which buildings are invited now (rounds and coverage). */
  schedule?: ScheduleSlot[];
  /** Waits at which a point counts as busy or jammed (the /points page and the display's panel). */
  crowding?: CrowdingThresholds;
}

/**
 * One committed write, or a run of consecutive ones merged (shared/changeMerge). Versions are
 * consecutive: a client that sees a gap asks for a new snapshot.
 */
export interface Change {
  version: number;
  /** The first version a merged change covers (from..version); absent for a single write. */
  from?: number;
  groups: GroupView[];
  counts: Counts;
  /** Present when this write changed the hall's settings or banner. */
  hall?: HallView;
  /** Present when this write replaced the round's schedule (rounds and coverage). */
  schedule?: ScheduleSlot[];
  /** Present when staff changed the crowding thresholds. */
  crowding?: CrowdingThresholds;
}

// ---- Outcomes of a scan ------------------------------------------------------------------

/** The scanned person as the kiosk shows them (full name: the sampler checks who stands there). */
export interface ScannedResident {
  name: string;
  household: string;
  tags: string[];
  /** Pre-registered, not on the roster (/me): the sampler checks the ID card first. */
  unverified?: boolean;
}

export type RejectReason = 'unreadable' | 'bad-id-number' | 'forged' | 'unknown-code';

export type ScanOutcome =
  | {
      kind: 'added';
      resident: ScannedResident;
      group: { id: number; label: string; position: number; poolSize: number };
      full: boolean;
      /** For undo (member:remove). */ memberId: number;
    }
  | { kind: 'duplicate'; resident: ScannedResident; previous: { point: string; groupLabel: string; at: string } }
  | {
      kind: 'routed';
      route: 'single-tube';
      resident: ScannedResident;
      group: { id: number; label: string };
      /** A retest sample after a positive pool or invalid tube (lab). */ retest?: RetestReason;
    }
  | { kind: 'routed'; route: 'home'; resident: ScannedResident }
  | { kind: 'rejected'; reason: RejectReason; /** With bad-id-number: the type read and what is wrong. */ idType?: IdType; fault?: IdFault }
  | { kind: 'not-on-roster'; idType: IdType; maskedIdNumber: string };

export { ERROR_CODES, type ErrorCode } from './reasons';
/** A refusal: its coarse code and its reason with params (shared/reasons.ts); the pages word the reason. */
export type ApiError = Refusal & {
  code: ErrorCode;
  /** With rate-limited: the milliseconds until the same request would be taken. */
  retryAfterMs?: number;
};
export type Reply<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export interface ClientToServerEvents {
  scan: (req: ScanRequest, ack: (r: Reply<ScanOutcome>) => void) => void;
  'walk-in': (req: WalkInRequest, ack: (r: Reply<ScanOutcome>) => void) => void;
  'group:action': (req: GroupActionRequest, ack: (r: Reply<GroupView>) => void) => void;
  'group:call-next': (req: CallNextRequest, ack: (r: Reply<GroupView | null>) => void) => void;
  'member:absent': (req: MemberAbsentRequest, ack: (r: Reply<GroupView>) => void) => void;
  sync: (ack: (r: Reply<Snapshot>) => void) => void;
  // ---- hall ----
  'hall:announce': (req: AnnounceRequest, ack: (r: Reply<HallView>) => void) => void;
  'hall:settings': (req: HallSettingsRequest, ack: (r: Reply<HallView>) => void) => void;
  'member:present': (req: MemberPresentRequest, ack: (r: Reply<GroupView>) => void) => void;
  'member:move': (req: MemberMoveRequest, ack: (r: Reply<ScanOutcome>) => void) => void;
  // ---- kiosk undo ----
  'member:remove': (req: MemberRemoveRequest, ack: (r: Reply<GroupView>) => void) => void;
  // ---- kiosk tubes ----
  'tube:label': (req: TubeLabelRequest, ack: (r: Reply<GroupView>) => void) => void;
  // (events above this line)
}

export interface ServerToClientEvents {
  snapshot: (s: Snapshot) => void;
  change: (c: Change) => void;
}

/** What the socket handshake carries: an access token from POST /api/login (none for the display). */
export interface HandshakeAuth {
  token?: string;
  /** A stable name for the kiosk or tablet, for the audit trail. */
  device?: string;
}
