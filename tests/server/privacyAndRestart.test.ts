// The hall display is public: it must never show an ID number, a phone or a full name.
// And a restart (power cut, update) must lose nothing that a kiosk was told was done.
import { afterEach, describe, expect, it, vi } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { generateCommunity } from '../../server/demo/community';
import { createLogger } from '../../server/log';
import type { Connection } from '../../server/db/connect';
import { maskName } from '../../shared/names';
import type { RosterEntry } from '../../shared/roster';
import { BACKENDS, PG_ADMIN_URL } from '../support/backends';
import { newKey, type Listener } from '../support/testServer';
import {
  coveredVersions,
  added,
  callNext,
  groupAction,
  groupByLabel,
  idNumberOf,
  markAbsent,
  ok,
  residents,
  scan,
  scanAll,
  settled,
  startSiteWithRoster,
  sync,
  walkIn,
  type Added,
  type RosterSite,
} from './helpers';

const TODAY = new Date(Date.UTC(2025, 5, 15));

describe.each(BACKENDS)('privacy and restarts (%s)', (backend) => {
  let rs: RosterSite | undefined;
  afterEach(async () => {
    await rs?.site.close();
    rs = undefined;
  });

  it('never sends the display an ID number, a phone or a full name', async () => {
    // Buildings 1 and 2 queue at the point; building 3 is sealed (封控) and sampled at home.
    const community = generateCommunity({ seed: 7, residents: 60, buildings: 3, today: TODAY });
    rs = await startSiteWithRoster(backend, community);
    const site = rs;
    const display = await site.site.connect('display');
    const [kiosk, volunteer] = await Promise.all([site.site.connect('kiosk'), site.site.connect('volunteer')]);

    // Everyone comes: half by their printed code, half by typing their ID number.
    const outcomes = [];
    for (const [k, person] of community.entries()) outcomes.push(ok(await scan(kiosk, k % 2 ? person.idNumber : site.code(person))));
    expect(outcomes.filter((o) => o.kind === 'added').length).toBeGreaterThan(20);
    expect(outcomes.some((o) => o.kind === 'routed' && o.route === 'home')).toBe(true);
    const walker: RosterEntry = {
      name: '欧阳临时',
      idType: 'resident-id',
      idNumber: idNumberOf(9, '310104'),
      nationality: '',
      idNote: '',
      phone: '13912345678',
      building: '9',
      unit: '',
      room: '101',
      tags: [],
    };
    added(await walkIn(kiosk, { name: walker.name, idNumber: walker.idNumber, phone: walker.phone, building: '9', room: '101' }));

    // The queue moves: a group is called, one member is absent, the tube is sealed.
    const first = ok(await callNext(volunteer))!;
    ok(await markAbsent(volunteer, { memberId: first.members[0].id }));
    ok(await groupAction(kiosk, { groupId: first.id, action: 'start', tubeCode: 'TUBE-0001' }));
    ok(await groupAction(kiosk, { groupId: first.id, action: 'seal' }));
    await settled(display);
    const received = JSON.stringify({ snapshots: display.snapshots, changes: display.changes, sync: await sync(display) });

    expect(coveredVersions(display.changes).length).toBeGreaterThan(40);
    // No run of digits as long as a mobile number, let alone an ID number.
    expect(received).not.toMatch(/\d{11,}/);
    for (const p of [...community, walker]) {
      expect(received).not.toContain(p.idNumber.slice(0, 17));
      expect(received).not.toContain(p.idNumber.slice(-8));
      if (p.phone) expect(received).not.toContain(p.phone.slice(-8));
      expect(received).not.toContain(p.name);
    }
    // Names appear only masked (张*三): never two characters of a name side by side.
    expect(received).not.toMatch(/[\u3400-\u9fff\u{20000}-\u{2ffff}]{2}/u);
    const masked = new Set([...community, walker].map((p) => maskName(p.name)));
    const shown = [...received.matchAll(/"maskedName":"([^"]*)"/g)].map((m) => m[1]);
    expect(shown.length).toBeGreaterThan(40);
    for (const name of shown) expect(masked.has(name), name).toBe(true);
    expect(received).not.toMatch(/household|idNumber|phone|room/i);
  });

  it('loses nothing across a restart: same groups and version, and numbering carries on', async () => {
    const people = residents(0, 40);
    rs = await startSiteWithRoster(backend, people);
    const site = rs;
    const [kiosk, volunteer, display] = await Promise.all([
      site.site.connect('kiosk'),
      site.site.connect('volunteer'),
      site.site.connect('display'),
    ]);
    const key = newKey();
    const replied = await scan(kiosk, site.code(people[0]), { key });
    await scanAll(
      kiosk,
      people.slice(1, 23).map((p) => site.code(p)),
    );
    ok(await callNext(volunteer));
    const before = await sync(display);
    expect(before.groups.map((g) => [g.label, g.state, g.members.length])).toEqual([
      ['A-001', 'called', 10],
      ['A-002', 'waiting', 10],
      ['A-003', 'forming', 3],
    ]);

    await site.site.restart();

    const after = await site.site.connect('display');
    expect(after.snapshots[0]).toEqual(before);
    const kiosk2 = await site.site.connect('kiosk');
    // The forming group carries on where it was, and then A-004 (never A-001 again).
    const next = await scanAll(
      kiosk2,
      people.slice(23, 31).map((p) => site.code(p)),
    );
    expect(next.map((a) => `${a.group.label} ${a.group.position}`)).toEqual([
      'A-003 4',
      'A-003 5',
      'A-003 6',
      'A-003 7',
      'A-003 8',
      'A-003 9',
      'A-003 10',
      'A-004 1',
    ]);
    // Versions carry on too: the first change after the restart follows the last one before it.
    await settled(after);
    expect(after.changes[0].version).toBe(before.version + 1);
    // Who was queued stays queued, and a kiosk replaying its request gets the same answer.
    expect(ok(await scan(kiosk2, site.code(people[5])))).toMatchObject({ kind: 'duplicate', previous: { groupLabel: 'A-001' } });
    expect(await scan(kiosk2, site.code(people[0]), { key })).toEqual(replied);
    const volunteer2 = await site.site.connect('volunteer');
    expect(ok(await callNext(volunteer2))?.label).toBe('A-002');
  });

  it('acknowledges a scan only once it is committed: after a restart every acknowledged scan is there', async () => {
    const people = residents(0, 40);
    rs = await startSiteWithRoster(backend, people);
    const site = rs;
    const kiosks: Listener[] = await Promise.all([site.site.connect('kiosk', 'k1'), site.site.connect('kiosk', 'k2')]);
    const acked: Added[] = [];
    let restarted: Promise<void> | undefined;
    // Everyone at once; the power goes as the eighth answer arrives, with the rest still in flight.
    const inFlight = people.map((p, k) =>
      scan(kiosks[k % 2], site.code(p)).then(
        (r) => {
          acked.push(added(r));
          if (acked.length === 8) restarted = site.site.restart();
        },
        () => {},
      ),
    );
    await Promise.all(inFlight);
    await restarted;

    const display = await site.site.connect('display');
    const { groups, counts } = display.snapshots[0];
    expect(acked.length).toBeGreaterThanOrEqual(8);
    expect(counts.registered).toBeGreaterThanOrEqual(acked.length);
    for (const a of acked) {
      const group = groupByLabel(groups, a.group.label);
      const member = group.members.find((m) => m.position === a.group.position);
      expect(member?.maskedName, `${a.resident.name} at ${a.group.label} ${a.group.position}`).toBe(maskName(a.resident.name));
    }
    for (const g of groups) {
      expect(g.members.length).toBeLessThanOrEqual(g.poolSize);
      expect(new Set(g.members.map((m) => m.position)).size).toBe(g.members.length);
    }
    // And the acknowledged people are not queued twice when they scan again.
    const kiosk = await site.site.connect('kiosk');
    const again = await Promise.all(acked.map((a) => scan(kiosk, site.code(people.find((p) => p.name === a.resident.name)!))));
    expect(again.map((r) => ok(r).kind)).toEqual(acked.map(() => 'duplicate'));
  });

  it.runIf(backend === 'postgres')('keeps serving when PostgreSQL closes its connections (restart, failover)', async () => {
    const lost: string[] = [];
    const logger = createLogger('warn', {
      write: (line: string) => void (line.includes('database connection was closed') && lost.push(line)),
    });
    rs = await startSiteWithRoster(backend, residents(0, 4), { logger });
    const site = rs;
    const kiosk = await site.site.connect('kiosk');
    added(await scan(kiosk, site.code(site.entries[0])));

    const { db } = (site.site.server.store as unknown as { conn: Connection }).conn;
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(db);
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    let killedCount = 0;
    try {
      const killed = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [rows[0].name]);
      killedCount = killed.rowCount ?? 0;
      expect(killedCount).toBeGreaterThan(0);
    } finally {
      await admin.end();
    }
    // Once the pool has noticed each idle connection die, the next request opens a fresh one.
    await vi.waitFor(() => expect(lost.length).toBeGreaterThanOrEqual(killedCount), { timeout: 10_000 });
    expect(added(await scan(kiosk, site.code(site.entries[1]))).group.position).toBe(2);
  });
});
