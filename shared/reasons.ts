// Why the server refused a request: one catalogue of reason codes, each with its coarse error code (the HTTP
// status, what a client may retry) and the names of its params. The server answers a reason and its params and
// never words a refusal; the pages word every reason (renderer/i18n `reasons`, typed against this catalogue, so a
// reason without a text in a language fails the type check). A feature adds its refusals here.

export const ERROR_CODES = ['invalid', 'unauthorized', 'forbidden', 'not-found', 'conflict', 'rate-limited', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const reason = <const K extends string = never>(code: ErrorCode, ...params: K[]) => ({ code, params });

export const REASONS = {
  // ---- any request ----
  /** A body or payload that does not fit its schema: the fields named (paths, never their values). */
  'request.invalid': reason('invalid', 'fields'),
  'request.malformed': reason('invalid'),
  'request.too-large': reason('invalid', 'size'),
  'request.not-json': reason('invalid'),
  'request.no-body': reason('invalid'),
  'request.no-such-path': reason('not-found'),
  'request.key-reused': reason('conflict'),
  'server.internal': reason('internal'),
  'server.database-unreadable': reason('internal'),
  'tls.https-only': reason('forbidden', 'origin'),
  'tls.no-local-ca': reason('not-found'),

  // ---- sign-in, sessions, PINs ----
  'auth.login-required': reason('unauthorized'),
  'auth.session-ended': reason('unauthorized'),
  /** role: the caller's role (a page words it). */
  'auth.role-forbidden': reason('forbidden', 'role'),
  'auth.wrong-pin': reason('forbidden'),
  'auth.pin-locked': reason('rate-limited', 'minutes'),
  'pins.current-wrong': reason('forbidden'),
  'pins.current-locked': reason('rate-limited'),
  'pins.same-as-other': reason('invalid', 'role'),

  // ---- queue, hall ----
  'round.none-open': reason('conflict'),
  'point.not-found': reason('not-found', 'point'),
  'id.invalid': reason('invalid'),
  /** fault: why the ID does not fit its type (an IdCheckFault of shared/idTypes; a page words it). */
  'id.refused': reason('invalid', 'fault'),
  'scan.too-fast': reason('rate-limited', 'perSecond'),
  'sync.too-many': reason('rate-limited'),
  'group.not-found': reason('not-found', 'id'),
  /** state: the group's state (a page words it). */
  'group.wrong-state': reason('conflict', 'group', 'state'),
  'group.nobody-present': reason('conflict', 'group'),
  'group.label-wrong-state': reason('conflict', 'group', 'state'),
  'tube.code-missing': reason('invalid'),
  'tube.used': reason('conflict', 'tube', 'group'),
  'member.not-found': reason('not-found', 'id'),
  'member.no-group': reason('not-found', 'id'),
  'member.not-queued': reason('conflict'),
  'member.not-absent': reason('conflict'),
  'member.remove-called': reason('conflict', 'group', 'state'),
  'member.remove-single-tube': reason('conflict', 'group'),
  'member.remove-last': reason('conflict', 'group'),
  'hall.full': reason('conflict', 'point', 'indoors', 'capacity'),
  'hall.tick-not-queued': reason('conflict'),

  // ---- rounds, schedule ----
  'building.required': reason('invalid'),
  'rounds.point-twice': reason('invalid'),
  'schedule.overlap': reason('invalid', 'building'),

  // ---- roster and result files ----
  'file.empty': reason('invalid'),
  'file.no-text': reason('invalid'),
  'file.first-sheet-empty': reason('invalid'),
  'file.old-xls': reason('invalid'),
  'file.password': reason('invalid'),
  'file.binary': reason('invalid'),
  'file.web-page': reason('invalid'),
  'file.csv-unreadable': reason('invalid', 'line'),
  'file.not-xlsx': reason('invalid'),
  'file.too-many-columns': reason('invalid', 'row', 'columns', 'max'),
  'file.too-many-rows': reason('invalid', 'max'),
  /** An XLSX over the workbook limits (read whole, unlike a CSV, which is read as it arrives): save it as CSV. */
  'file.workbook-too-large': reason('invalid', 'mb', 'rows', 'csvRows'),
  'file.too-many-parts': reason('invalid', 'parts', 'max'),
  'file.unpacks-too-large': reason('invalid', 'mb'),
  'file.part-ratio': reason('invalid', 'part', 'ratio', 'max'),
  'file.part-damaged': reason('invalid', 'part'),
  /** columns: the header words the file lacks (Chinese header words, as the file must have them). */
  'roster.missing-columns': reason('invalid', 'columns'),
  'roster.no-building': reason('invalid'),
  'roster.no-readable-sheet': reason('invalid', 'sheets'),
  'search.missing': reason('invalid'),
  'search.too-short': reason('invalid'),
  'search.too-many': reason('rate-limited', 'perMinute', 'seconds'),

  // ---- residents' own pages (/me, own result) ----
  'me.no-match': reason('not-found'),
  'me.already-registered': reason('conflict'),
  'me.too-many': reason('rate-limited', 'minutes'),
  'phone.invalid': reason('invalid'),
  'code.unknown': reason('not-found'),
  'code.too-many-checks': reason('rate-limited'),

  // ---- lab: boxes, tubes, results ----
  /** state: the box's state (a page words it). */
  'box.not-open': reason('conflict', 'box', 'state'),
  'box.empty': reason('conflict', 'box'),
  'box.not-found': reason('not-found', 'box'),
  'box.close-first': reason('conflict', 'box'),
  'box.handed-over': reason('conflict', 'box'),
  'box.received': reason('conflict', 'box'),
  'box.not-handed-over': reason('conflict', 'box'),
  'tube.not-this-round': reason('not-found', 'tube'),
  'tube.not-sealed': reason('conflict', 'tube', 'group'),
  'tube.in-box': reason('conflict', 'tube', 'box'),
  /** state: the tube's state (a page words it). */
  'tube.wrong-state': reason('conflict', 'tube', 'state'),
  'courier.phone-invalid': reason('invalid'),
  'results.missing-columns': reason('invalid', 'columns'),
  // a row of the lab's result file that is not applied
  'result-row.no-tube-code': reason('invalid'),
  'result-row.bad-tube-code': reason('invalid', 'value'),
  'result-row.no-result': reason('invalid', 'tube'),
  'result-row.bad-result': reason('invalid', 'value'),
  'result-row.repeated': reason('invalid', 'tube', 'first'),
  'result-row.unknown-tube': reason('not-found', 'tube'),
  /** result: the tube's result already recorded (a page words it). */
  'result-row.has-result': reason('conflict', 'tube', 'result'),
  'result-row.not-received': reason('conflict', 'tube', 'state'),
  'limits.whole-minutes': reason('invalid'),
  'limits.warn-too-low': reason('invalid'),
  'limits.hard-too-high': reason('invalid', 'max'),
  'limits.warn-after-hard': reason('invalid'),

  // ---- home sampling ----
  'team.exists': reason('conflict', 'team'),
  'team.not-found': reason('not-found', 'team'),
  'team.link-invalid': reason('unauthorized'),
  'team.pin-not-link': reason('forbidden'),
  'team.staff-see-all': reason('invalid'),
  'visit.households-unknown': reason('not-found', 'households'),
  'visit.by-tags': reason('conflict', 'name'),
  'visit.already-sampled': reason('conflict', 'name'),
  /** status: the visit's status (a page words it). */
  'visit.not-not-home': reason('conflict', 'name', 'status'),
  'visit.no-retest': reason('conflict'),
  'visit.not-on-list': reason('not-found'),
  'visit.not-on-team-list': reason('not-found'),
  'visit.some-not-on-list': reason('not-found'),
  'home.single-one-person': reason('invalid'),
  'home.scanned-twice': reason('invalid', 'name'),
  'home.one-household': reason('invalid'),
  'home.not-on-list': reason('conflict', 'name'),
  'home.already-placed': reason('conflict', 'name', 'group'),
  'home.retest-single': reason('invalid', 'name'),
  'home.code-forged': reason('invalid'),
  'home.unreadable': reason('invalid'),
  'home.not-on-roster': reason('not-found'),
} as const;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];
export type ReasonParams<R extends ReasonCode> = Record<(typeof REASONS)[R]['params'][number], string | number>;

/** A refusal as it travels: the reason and exactly its params. */
export type Refusal = { [R in ReasonCode]: { reason: R; params: ReasonParams<R> } }[ReasonCode];

/**
 * One text per reason, as the pages' messages hold them: nested by the part before the dot
 * (`auth.wrong-pin` → `reasons.auth['wrong-pin']`), as vue-i18n reads a dotted key as a path.
 */
export type ReasonTexts = { [G in GroupOf<ReasonCode>]: { [K in KeyOf<ReasonCode, G>]: string } };
// Generic, so that they distribute over the union of codes (a bare union in a conditional does not).
type GroupOf<R> = R extends `${infer G}.${string}` ? G : never;
type KeyOf<R, G extends string> = R extends `${G}.${infer K}` ? K : never;

/** The params argument: required when the reason has any, optional when it has none. */
export type ParamsArg<R extends ReasonCode> = (typeof REASONS)[R]['params'][number] extends never
  ? [params?: ReasonParams<R>]
  : [params: ReasonParams<R>];

export function errorCodeOf(reason: ReasonCode): ErrorCode {
  return REASONS[reason].code;
}
