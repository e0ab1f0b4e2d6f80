// Shared helpers for the server integration suites: made-up residents, a roster imported into a
// real test site, and typed wrappers around the Socket.IO requests a kiosk or volunteer makes.
import { expect } from 'vitest';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { firstVersion } from '../../shared/changeMerge';
import { applyChange, fitOf, viewOfSnapshot } from '../../shared/queueView';
import { idCheckChar } from '../../shared/idNumber';
import type { NumberedIdType } from '../../shared/idTypes';
import type {
  ApiError,
  CallNextRequest,
  Change,
  GroupActionRequest,
  GroupView,
  MemberAbsentRequest,
  Reply,
  ScanOutcome,
  Snapshot,
  WalkInRequest,
} from '../../shared/protocol';
import type { NewResident } from '../../server/store/rows';
import type { RosterEntry } from '../../shared/roster';
import type { Tag } from '../../shared/tags';
import { newKey, startSite, type Listener, type TestSite } from '../support/testServer';
import type { Backend } from '../support/backends';

// Generous: a loaded CI machine answers late, and a late answer is not what these tests are about.
const ACK_TIMEOUT = 20_000;

// ---- made-up residents -----------------------------------------------------------------

const SURNAMES = Array.from('王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗');
const GIVEN_1 = Array.from('建国志明海德秀玉桂淑');
const GIVEN_2 = Array.from('伟芳娜敏静丽强磊军洋');

/** A unique three-character name for resident number i (i < 2000): masked it becomes 王*伟. */
export function nameOf(i: number): string {
  return SURNAMES[i % 20] + GIVEN_1[Math.floor(i / 20) % 10] + GIVEN_2[Math.floor(i / 200) % 10];
}

/** A valid 18-character ID number, unique per (i, region); born 1980-01-01 + i % 28 days. */
export function idNumberOf(i: number, region = '110105'): string {
  const first17 = `${region}198001${String((i % 28) + 1).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

/** A mobile number, unique per i. */
export function phoneOf(i: number): string {
  return `139${String(10_000_000 + i * 7919).padStart(8, '0')}`;
}

/** Resident number i of building 1: four flats a floor. */
export function resident(i: number, tags: Tag[] = [], extra: Partial<RosterEntry> = {}): RosterEntry {
  return {
    name: nameOf(i),
    idType: 'resident-id',
    idNumber: idNumberOf(i),
    nationality: '',
    idNote: '',
    phone: phoneOf(i),
    building: '1',
    unit: '1',
    room: String(100 * (1 + Math.floor(i / 4)) + (i % 4) + 1),
    tags,
    ...extra,
  };
}

export function residents(from: number, count: number, tags: Tag[] = []): RosterEntry[] {
  return Array.from({ length: count }, (_, k) => resident(from + k, tags));
}

/** Person i of a district's building `building` (two digits): ID numbers unique per building for i < 70,000 (a region a 7,000). */
export function districtPerson(i: number, building: string): RosterEntry {
  return {
    name: nameOf(i % 2000),
    idType: 'resident-id',
    idNumber: idNumberOf(i % 7000, `11${building}0${Math.floor(i / 7000)}`),
    nationality: '',
    idNote: '',
    phone: phoneOf(i),
    building,
    unit: String(1 + (i % 4)),
    room: String(101 + Math.floor(i / 4)),
    tags: [],
  };
}

/** A resident's row as the store writes it (tests of the store itself): ID hash `hash-n`, uid `uid-n`. */
export function residentRow(n: number, hash = `hash-${n}`): NewResident {
  return {
    uid: `uid-${n}`,
    name: '王建国',
    id_type: 'resident-id',
    id_hash: hash,
    id_masked: '1101**********123X',
    id_enc: `sealed-${n}`,
    phone_enc: null,
    nationality: '',
    id_note: '',
    building: '1',
    unit: '1',
    room: String(100 + n),
    household: `1-1-${100 + n}`,
    tags: '[]',
    created_at: '2026-12-01T08:00:00.000Z',
    updated_at: '2026-12-01T08:00:00.000Z',
  };
}

// ---- a site with a roster ----------------------------------------------------------------

export interface RosterSite {
  site: TestSite;
  entries: RosterEntry[];
  /** The printed resident code of a roster entry (looked up by name: names are unique here). */
  code(entry: RosterEntry): string;
}

/** Starts a site, imports the roster (as the community office's CSV) and fetches every printed code. */
export async function startSiteWithRoster(
  backend: Backend,
  entries: RosterEntry[],
  opts: Parameters<typeof startSite>[1] = {},
): Promise<RosterSite> {
  const site = await startSite(backend, opts);
  try {
    const { status, body } = await site.importRoster(rosterCsv(entries));
    expect(status).toBe(200);
    expect(body.rejected).toEqual([]);
    const codes = new Map<string, string>();
    for (const building of new Set(entries.map((e) => e.building))) {
      for (const h of await site.codes(building)) for (const m of h.members) codes.set(m.name, m.code);
    }
    return {
      site,
      entries,
      code(entry) {
        const code = codes.get(entry.name);
        if (!code) throw new Error(`no code printed for ${entry.name}`);
        return code;
      },
    };
  } catch (err) {
    await site.close();
    throw err;
  }
}

// ---- requests ------------------------------------------------------------------------------

/** What a kiosk gets back for one scan. */
export async function scan(
  l: Listener,
  input: string,
  opts: { key?: string; point?: string; idType?: NumberedIdType } = {},
): Promise<Reply<ScanOutcome>> {
  const typed = opts.idType ? { idType: opts.idType } : {};
  return l.socket.timeout(ACK_TIMEOUT).emitWithAck('scan', { key: opts.key ?? newKey(), point: opts.point ?? 'A', input, ...typed });
}

export async function walkIn(l: Listener, req: Omit<WalkInRequest, 'key' | 'point'> & { key?: string }): Promise<Reply<ScanOutcome>> {
  return l.socket.timeout(ACK_TIMEOUT).emitWithAck('walk-in', { key: newKey(), point: 'A', ...req });
}

export async function groupAction(l: Listener, req: Omit<GroupActionRequest, 'key'> & { key?: string }): Promise<Reply<GroupView>> {
  return l.socket.timeout(ACK_TIMEOUT).emitWithAck('group:action', { key: newKey(), ...req });
}

export async function callNext(l: Listener, req: Partial<CallNextRequest> = {}): Promise<Reply<GroupView | null>> {
  return l.socket.timeout(ACK_TIMEOUT).emitWithAck('group:call-next', { key: newKey(), point: 'A', ...req });
}

export async function markAbsent(l: Listener, req: Omit<MemberAbsentRequest, 'key'> & { key?: string }): Promise<Reply<GroupView>> {
  return l.socket.timeout(ACK_TIMEOUT).emitWithAck('member:absent', { key: newKey(), ...req });
}

/** Sends anything at all under an event name, as a broken or hostile client would. */
export async function emitRaw(l: Listener, event: string, payload: unknown): Promise<Reply<unknown>> {
  const raw = l.socket as unknown as { timeout(ms: number): { emitWithAck(ev: string, p: unknown): Promise<Reply<unknown>> } };
  return raw.timeout(ACK_TIMEOUT).emitWithAck(event, payload);
}

/** A fresh snapshot, as a client asks for one after a gap. */
export async function sync(l: Listener): Promise<Snapshot> {
  return ok(await l.socket.timeout(ACK_TIMEOUT).emitWithAck('sync'));
}

export function ok<T>(reply: Reply<T>): T {
  if (!reply.ok) throw new Error(`expected success, got ${reply.error.code}: ${reply.error.reason} ${JSON.stringify(reply.error.params)}`);
  return reply.value;
}

export function failure(reply: Reply<unknown>): ApiError {
  if (reply.ok) throw new Error(`expected a refusal, got ${JSON.stringify(reply.value)}`);
  return reply.error;
}

export type Added = Extract<ScanOutcome, { kind: 'added' }>;

/** The outcome of a scan that must have placed the person in a pooled group. */
export function added(reply: Reply<ScanOutcome>): Added {
  const outcome = ok(reply);
  if (outcome.kind !== 'added') throw new Error(`expected "added", got ${JSON.stringify(outcome)}`);
  return outcome;
}

/** Scans people one after another at one kiosk, as a queue moves past it. */
export async function scanAll(l: Listener, codes: string[]): Promise<Added[]> {
  const out: Added[] = [];
  for (const code of codes) out.push(added(await scan(l, code)));
  return out;
}

// ---- the display's view ------------------------------------------------------------------

export interface View {
  version: number;
  groups: GroupView[];
  counts: Snapshot['counts'];
}

/** What a client draws: its snapshot with every later change applied in version order. Throws on a gap. */
export function applyChanges(snapshot: Snapshot, changes: readonly Change[]): View {
  const view = viewOfSnapshot(snapshot);
  for (const c of [...changes].sort((a, b) => a.version - b.version)) {
    const fit = fitOf(view.version, c);
    if (fit === 'old') continue;
    if (fit === 'gap') throw new Error(`gap in changes: ${view.version} then ${firstVersion(c)}..${c.version}`);
    applyChange(view, c);
  }
  return { version: view.version, counts: view.counts, groups: byId([...view.groups.values()]) };
}

/** Every version the changes cover, in order (a merged change covers from..version). */
/**
 * The versions `writes` announced writes took: each group commit takes one for all its writes, so
 * between one (all in one group) and one each (none grouped).
 */
export function expectVersionsFor(moved: number, writes: number): void {
  expect(moved).toBeGreaterThanOrEqual(1);
  expect(moved).toBeLessThanOrEqual(writes);
}

export function coveredVersions(changes: readonly Change[]): number[] {
  return changes
    .flatMap((c) => Array.from({ length: c.version - firstVersion(c) + 1 }, (_, k) => firstVersion(c) + k))
    .sort((a, b) => a - b);
}

export function viewOf(s: Snapshot): View {
  return { version: s.version, counts: s.counts, groups: byId(s.groups) };
}

export function byId(groups: GroupView[]): GroupView[] {
  return [...groups].sort((a, b) => a.id - b.id);
}

export function groupByLabel(groups: readonly GroupView[], label: string): GroupView {
  const g = groups.find((x) => x.label === label);
  if (!g) throw new Error(`no group ${label} among ${groups.map((x) => x.label).join(', ')}`);
  return g;
}

/** The newest version a client has heard of, by snapshot or change. */
export function heardVersion(l: Listener): number {
  return Math.max(-1, ...l.snapshots.map((s) => s.version), ...l.changes.map((c) => c.version));
}

/** Asks for the current version and waits until the display has heard of it: every change so far has arrived. */
export async function settled(display: Listener): Promise<number> {
  const { version } = await sync(display);
  for (const deadline = Date.now() + 5000; heardVersion(display) < version;) {
    if (Date.now() > deadline) throw new Error(`the display never heard of version ${version}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return version;
}
