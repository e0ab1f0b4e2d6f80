import nodeHttp from 'node:http';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCommunity } from '../../server/demo/community';
import { rosterCsv } from '../../server/demo/rosterCsv';
import { maskIdNumber } from '../../shared/idNumber';
import { boxPath, LAB_API, type BoxView, type LabOverview, type OwnResult, type ResultsReport, type RetestList } from '../../shared/labApi';
import type { GroupView, ScanOutcome } from '../../shared/protocol';
import type { RosterEntry } from '../../shared/roster';
import { BACKENDS } from '../support/backends';
import { newKey, startSite, type Listener, type TestSite } from '../support/testServer';
import { failure, groupAction, ok, scan, sync } from './helpers';

// A round of 500 residents from sampling to results: every tube sealed, boxed, handed over and
// received; the lab's file clears all tubes but one positive pool, whose ten members come back
// to the kiosk for a single-tube retest. Every count reconciles on the way.
// The round's stages build on each other and sampling 500 is slow, so each stage runs once, the
// first time a test needs it: a test runs the stages before its own, whichever test runs first.

/** Whichever test runs first runs the round up to its own stage, sampling 500 included. */
const ROUND_TIMEOUT = 480_000;

interface Http {
  status: number;
  body: any;
}

describe.each(BACKENDS)('tubes to the lab and results back (%s)', (backend) => {
  let site: TestSite;
  let staffToken: string;
  let kioskToken: string;
  let kiosk: Listener;
  let kiosks: Listener[];
  let people: RosterEntry[];
  /** Printed code by ID number. */
  const codeOf = new Map<string, string>();
  /** Tube code → group, and who is in it (by ID number). */
  const tubes = new Map<string, GroupView>();
  const members = new Map<string, string[]>();

  async function http(method: string, path: string, body?: unknown, token: string | null = staffToken, raw?: Buffer): Promise<Http> {
    const headers: Record<string, string> = { 'x-device': 'lab-desk-1' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw) headers['content-type'] = 'application/octet-stream';
    const res = await fetch(site.url + path, {
      method,
      headers,
      body: raw ? new Uint8Array(raw) : body === undefined ? undefined : JSON.stringify(body),
    });
    // Keeps a byte-order mark: the audit CSV must start with one for Excel.
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  }
  /** A kiosk scan; a kiosk told it scanned too fast waits a moment and scans again, as the sampler would. */
  async function scanAt(l: Listener, code: string): Promise<ScanOutcome> {
    const key = newKey();
    for (const deadline = Date.now() + 10_000; ;) {
      const reply = await scan(l, code, { key });
      if (reply.ok || reply.error.code !== 'rate-limited') return ok(reply);
      if (Date.now() > deadline) throw new Error(`still rate-limited after 10 s scanning ${code}`);
      await new Promise((r) => setTimeout(r, reply.error.retryAfterMs ?? 100));
    }
  }
  /** A single retest tube, sealed at the kiosk, taken to the lab in its own box, with the lab's result. */
  async function throughLab(outcome: ScanOutcome, tubeCode: string, result: string): Promise<ResultsReport> {
    if (outcome.kind !== 'routed' || outcome.route !== 'single-tube')
      throw new Error(`expected a single tube, got ${JSON.stringify(outcome)}`);
    ok(await groupAction(kiosk, { groupId: outcome.group.id, action: 'start', tubeCode }));
    ok(await groupAction(kiosk, { groupId: outcome.group.id, action: 'seal' }));
    const box = `BOX-${tubeCode}`;
    for (const [path, body] of [
      [LAB_API.boxes, { code: box }],
      [boxPath(LAB_API.boxTubes, box), { tubeCode }],
      [boxPath(LAB_API.boxClose, box), {}],
      [boxPath(LAB_API.boxHandOver, box), { name: '李师傅', phone: '13800001111' }],
      [boxPath(LAB_API.boxReceive, box), { receiver: '王医生', count: 1 }],
    ] as const)
      expect((await http('POST', path, body)).status).toBe(200);
    return (await http('POST', LAB_API.resultsImport, undefined, staffToken, Buffer.from(`管码,检测结果\r\n${tubeCode},${result}\r\n`)))
      .body as ResultsReport;
  }
  const overview = async () => (await http('GET', LAB_API.boxes)).body as LabOverview;
  /** A stage of the round, run the first time a test asks for it. */
  function stage(run: () => Promise<void>): () => Promise<void> {
    let done: Promise<void> | undefined;
    return () => (done ??= run());
  }

  beforeAll(async () => {
    // Building 5 of 5 is sealed (door to door): its people never come to the point.
    people = generateCommunity({ seed: 66, buildings: 5, residents: 700 })
      .filter((r) => !r.tags.includes('sealed'))
      .slice(0, 500);
    expect(people).toHaveLength(500);
    site = await startSite(backend);
    const imported = await site.importRoster(rosterCsv(people));
    expect(imported.body.added).toBe(500);
    const byMask = new Map(people.map((p) => [`${p.name}|${maskIdNumber(p.idNumber)}`, p.idNumber]));
    for (const b of new Set(people.map((p) => p.building))) {
      for (const h of await site.codes(b)) for (const m of h.members) codeOf.set(byMask.get(`${m.name}|${m.maskedIdNumber}`)!, m.code);
    }
    expect(codeOf.size).toBe(500);
    staffToken = await site.token('staff');
    kioskToken = await site.token('kiosk');
    // Five kiosks at the point, each scanning its own line.
    kiosks = await Promise.all([1, 2, 3, 4, 5].map((n) => site.connect('kiosk', `kiosk-A${n}`)));
    kiosk = kiosks[0];
  }, 120_000);

  afterAll(async () => {
    await site?.close();
  });

  const sampledAll = stage(async () => {
    const lines = kiosks.map((_, k) => people.filter((_, i) => i % kiosks.length === k));
    const outcomes = (
      await Promise.all(
        lines.map(async (line, k) => {
          const out: ScanOutcome[] = [];
          for (const p of line) out.push(await scanAt(kiosks[k], codeOf.get(p.idNumber)!));
          return out;
        }),
      )
    ).flat();
    const singles = outcomes.filter((o) => o.kind === 'routed' && o.route === 'single-tube').length;
    expect(outcomes.filter((o) => o.kind === 'added').length + singles).toBe(500);
    expect(singles).toBe(people.filter((p) => p.tags.includes('quarantine')).length);

    // End of the line: part-filled groups close; then every group's tube is opened and sealed.
    for (const g of (await sync(kiosk)).groups.filter((x) => x.state === 'forming'))
      ok(await groupAction(kiosk, { groupId: g.id, action: 'close' }));
    const groups = (await sync(kiosk)).groups.filter((g) => g.state === 'waiting');
    for (const g of groups) {
      const tubeCode = `TB${String(g.id).padStart(6, '0')}`;
      ok(await groupAction(kiosk, { groupId: g.id, action: 'start', tubeCode }));
      tubes.set(tubeCode, ok(await groupAction(kiosk, { groupId: g.id, action: 'seal' })));
    }
    const { counts } = await sync(kiosk);
    expect(counts).toMatchObject({ registered: 500, sampled: 500, waitingGroups: 0 });
    expect([...tubes.values()].reduce((n, g) => n + g.members.length, 0)).toBe(500);

    const o = await overview();
    expect(o.reconciliation).toMatchObject({ sealed: tubes.size, boxed: 0, handedOver: 0, received: 0, balanced: false });
    expect(o.reconciliation.stuck.sealed).toHaveLength(tubes.size);
    // Just sealed: no transit alert yet.
    expect(o.alerts).toEqual([]);
  });
  it('samples all 500 into tubes: quarantined people alone, everyone else in pools of ten', sampledAll, ROUND_TIMEOUT);

  const boxedAll = stage(async () => {
    await sampledAll();
    const codes = [...tubes.keys()];
    const boxes = ['BOX-01', 'BOX-02', 'BOX-03'];
    for (const [i, box] of boxes.entries()) {
      // The sampler at the kiosk scans the box code, then the tubes.
      expect((await http('POST', LAB_API.boxes, { code: box }, kioskToken)).status).toBe(200);
      for (const tube of codes.filter((_, k) => k % boxes.length === i)) {
        const r = await http('POST', boxPath(LAB_API.boxTubes, box), { tubeCode: tube.toLowerCase() }, kioskToken);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
      }
    }
    // A tube goes in one box only; an unknown tube and a bad box code are refused clearly.
    const twice = await http('POST', boxPath(LAB_API.boxTubes, 'BOX-02'), { tubeCode: codes[0] }, kioskToken);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ code: 'conflict', reason: 'tube.in-box', params: { tube: codes[0], box: 'BOX-01' } });
    expect((await http('POST', boxPath(LAB_API.boxTubes, 'BOX-01'), { tubeCode: 'TB999999' })).status).toBe(404);
    expect((await http('POST', boxPath(LAB_API.boxTubes, 'bad box!'), { tubeCode: codes[0] })).status).toBe(400);

    let o = await overview();
    expect(o.reconciliation).toMatchObject({ sealed: tubes.size, boxed: tubes.size, handedOver: 0, balanced: false });

    // A box must be closed before the courier takes it; only staff sign hand-overs.
    expect((await http('POST', boxPath(LAB_API.boxHandOver, 'BOX-01'), { name: '顺丰 李师傅', phone: '13800001111' })).status).toBe(409);
    for (const box of boxes) expect((await http('POST', boxPath(LAB_API.boxClose, box), undefined, kioskToken)).status).toBe(200);
    expect((await http('POST', boxPath(LAB_API.boxTubes, 'BOX-01'), { tubeCode: codes[1] })).status).toBe(409);
    expect((await http('POST', boxPath(LAB_API.boxHandOver, 'BOX-01'), { name: '李师傅', phone: '13800001111' }, kioskToken)).status).toBe(
      403,
    );
    expect((await http('POST', boxPath(LAB_API.boxHandOver, 'BOX-01'), { name: '李师傅', phone: 'call me' })).status).toBe(400);
    for (const box of boxes) {
      const r = await http('POST', boxPath(LAB_API.boxHandOver, box), { name: '李师傅', phone: '+86 138-0000-1111' });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect((r.body as BoxView).courier).toBe('李师傅');
    }
    // A result for a tube not yet received is refused (the lab cannot have it).
    const early = (
      await http(
        'POST',
        `${LAB_API.resultsImport}?filename=r.csv`,
        undefined,
        staffToken,
        Buffer.from(`试管编码,结果\r\n${codes[0]},阴性\r\n`),
      )
    ).body as ResultsReport;
    expect(early.applied).toBe(0);
    expect(early.rejected[0]).toMatchObject({ reason: 'result-row.not-received', params: { state: expect.any(String) } });

    // The lab receiver counts: BOX-03 is counted one short and is flagged.
    const sizes = boxes.map((b) => o.boxes.find((x) => x.code === b)!.tubes.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(tubes.size);
    for (const [i, box] of boxes.entries()) {
      const count = box === 'BOX-03' ? sizes[i] - 1 : sizes[i];
      const r = await http('POST', boxPath(LAB_API.boxReceive, box), { receiver: '检验科 王医生', count });
      expect(r.status).toBe(200);
      expect((r.body as BoxView).mismatch).toBe(box === 'BOX-03');
    }
    expect((await http('POST', boxPath(LAB_API.boxReceive, 'BOX-01'), { receiver: '王医生', count: 1 })).status).toBe(409);

    o = await overview();
    expect(o.reconciliation).toMatchObject({
      sealed: tubes.size,
      boxed: tubes.size,
      handedOver: tubes.size,
      received: tubes.size,
      balanced: true,
    });
    expect(o.boxes.map((b) => [b.code, b.state, b.mismatch])).toEqual([
      ['BOX-01', 'received', false],
      ['BOX-02', 'received', false],
      ['BOX-03', 'received', true],
    ]);
    // The courier's phone never comes back to the page.
    expect(JSON.stringify(o)).not.toContain('13800001111');
  });
  it('boxes every sealed tube once, hands the boxes to the courier and the lab counts them in', boxedAll, ROUND_TIMEOUT);

  const resultsIn = stage(async () => {
    await boxedAll();
    const codes = [...tubes.keys()];
    const positive = codes.find((c) => tubes.get(c)!.kind === 'pooled' && tubes.get(c)!.members.length === 10)!;
    const rows = codes.map((c) => `${c},${c === positive ? '混管阳性' : '阴性'}`);
    const file = ['试管编码,结果', ...rows, `${codes[1]},阴性`, 'TB000000,阴性', `${codes[2]},待定`].join('\r\n');
    const r = await http('POST', `${LAB_API.resultsImport}?filename=results.csv`, undefined, staffToken, Buffer.from(`\uFEFF${file}\r\n`));
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const report = r.body as ResultsReport;
    expect(report).toMatchObject({ rows: codes.length + 3, applied: codes.length, retests: 10 });
    // codes[2]'s own row was applied; the later row with a bad word is reported alone.
    expect(report.rejected.map((x) => x.row)).toEqual([codes.length + 2, codes.length + 3, codes.length + 4]);
    expect(report.rejected[0]).toMatchObject({ reason: 'result-row.repeated', params: { first: 3 } });
    expect(report.rejected[1]).toMatchObject({ reason: 'result-row.unknown-tube', params: { tube: 'TB000000' } });
    expect(report.rejected[2]).toMatchObject({ reason: 'result-row.bad-result', params: { value: '待定' } });
    // codes[0], refused before its box was received, got its result now: every tube has one.
    const o = await overview();
    expect(o.reconciliation.resulted).toBe(codes.length);
    expect(o.reconciliation.stuck.received).toEqual([]);

    // The same file again changes nothing; a contradicting one is refused row by row.
    const again = (await http('POST', LAB_API.resultsImport, undefined, staffToken, Buffer.from(file))).body as ResultsReport;
    expect(again).toMatchObject({ applied: 0, unchanged: codes.length });
    const flip = (await http('POST', LAB_API.resultsImport, undefined, staffToken, Buffer.from(`tube,result\r\n${positive},negative\r\n`)))
      .body as ResultsReport;
    expect(flip.rejected[0]).toMatchObject({ reason: 'result-row.has-result', params: { result: 'pool-positive' } });
    expect((await http('POST', LAB_API.resultsImport, undefined, staffToken, Buffer.from('姓名,电话\r\n张三,1\r\n'))).status).toBe(400);

    // Staff see the ten with their rooms and phones, as on the roster.
    const list = (await http('GET', LAB_API.retests)).body as RetestList;
    expect(list.retests).toHaveLength(10);
    expect(list.positives).toEqual([]);
    const inPool = people.filter((p) => list.retests.some((x) => x.name === p.name && x.room === p.room && x.building === p.building));
    expect(inPool).toHaveLength(10);
    for (const x of list.retests) {
      const p = inPool.find((e) => e.name === x.name && e.room === x.room)!;
      expect(x).toMatchObject({ phone: p.phone, reason: 'pool-positive', tubeCode: positive, done: false });
    }
    members.set(
      positive,
      inPool.map((p) => p.idNumber),
    );
    // Not for the kiosk.
    expect((await http('GET', LAB_API.retests, undefined, kioskToken)).status).toBe(403);
  });
  it("imports the lab's file: bad rows reported by row, one positive pool sends its ten to the retest list", resultsIn, ROUND_TIMEOUT);

  const clearedRetest = stage(async () => {
    await resultsIn();
    const [positive, ids] = [...members.entries()][0];
    const first = await scanAt(kiosk, codeOf.get(ids[0])!);
    expect(first).toMatchObject({ kind: 'routed', route: 'single-tube', retest: 'pool-positive' });
    expect((await scanAt(kiosk, codeOf.get(ids[0])!)).kind).toBe('duplicate');
    const cleared = people.find((p) => !ids.includes(p.idNumber))!;
    expect((await scanAt(kiosk, codeOf.get(cleared.idNumber)!)).kind).toBe('duplicate');
    // People are counted once, not by samples.
    expect((await sync(kiosk)).counts).toMatchObject({ registered: 500, sampled: 500 });

    // Their own result, by code: negative for a cleared neighbour, retest needed for the pool
    // (ids[1] and ids[2] are the other retest stories' people).
    const own = async (code: string) => http('POST', LAB_API.ownResult, { code }, null);
    expect((await own(codeOf.get(cleared.idNumber)!)).body).toMatchObject({ status: 'negative' } satisfies Partial<OwnResult>);
    expect((await own(codeOf.get(ids[3])!)).body).toMatchObject({ status: 'retest-needed' });
    expect((await own(codeOf.get(ids[0])!)).body).toMatchObject({ status: 'retest-needed' });
    const forged = codeOf.get(ids[1])!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    const refused = await own(forged);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(refused.body)).not.toContain(people[0].name);

    // The retest tube goes the whole way and comes back negative: that person is cleared.
    const doneBefore = ((await http('GET', LAB_API.retests)).body as RetestList).retests.filter((x) => x.done).length;
    expect(await throughLab(first, 'RT000001', 'negative')).toMatchObject({ applied: 1, retests: 0 });
    expect((await own(codeOf.get(ids[0])!)).body).toMatchObject({ status: 'negative' });
    const list = (await http('GET', LAB_API.retests)).body as RetestList;
    expect(list.retests.filter((x) => x.done)).toHaveLength(doneBefore + 1);
    expect(positive).toBeTruthy();
  });
  it('a retest member at the kiosk goes to a single tube once; everyone else is still a duplicate', clearedRetest, ROUND_TIMEOUT);

  const positiveRetest = stage(async () => {
    await resultsIn();
    const [, ids] = [...members.entries()][0];
    expect(await throughLab(await scanAt(kiosk, codeOf.get(ids[1])!), 'RT000002', '阳性')).toMatchObject({
      applied: 1,
      retests: 0,
      rejected: [],
    });

    const person = people.find((p) => p.idNumber === ids[1])!;
    const list = (await http('GET', LAB_API.retests)).body as RetestList;
    expect(list.positives).toEqual([
      { name: person.name, building: person.building, unit: person.unit, room: person.room, phone: person.phone, tubeCode: 'RT000002' },
    ]);
    expect((await overview()).positives).toBe(1);
    expect((await http('POST', LAB_API.ownResult, { code: codeOf.get(ids[1]) }, null)).body).toMatchObject({ status: 'positive' });
  });
  it('a positive retest tube puts that person on the positives list for staff, and tells them so', positiveRetest, ROUND_TIMEOUT);

  const invalidRetest = stage(async () => {
    await resultsIn();
    const [, ids] = [...members.entries()][0];
    const code = codeOf.get(ids[2])!;
    const { reconciliation: was } = await overview();
    expect(await throughLab(await scanAt(kiosk, code), 'RT000003', '无效')).toMatchObject({ applied: 1, retests: 1 });
    expect((await http('POST', LAB_API.ownResult, { code }, null)).body).toMatchObject({ status: 'resample-needed' });
    const again = await scanAt(kiosk, code);
    expect(again).toMatchObject({ kind: 'routed', route: 'single-tube', retest: 'invalid' });
    expect((await scanAt(kiosk, code)).kind).toBe('duplicate');
    expect(await throughLab(again, 'RT000004', '阴性')).toMatchObject({ applied: 1, retests: 0 });
    expect((await http('POST', LAB_API.ownResult, { code }, null)).body).toMatchObject({ status: 'negative' });
    const entry = ((await http('GET', LAB_API.retests)).body as RetestList).retests.find((r) => r.tubeCode === 'RT000003')!;
    expect(entry).toMatchObject({ reason: 'invalid', done: true });

    // Both tubes reached the lab and have a result, and nothing else is in transit; people are still counted once.
    expect((await overview()).reconciliation).toMatchObject({
      sealed: was.sealed + 2,
      received: was.received + 2,
      resulted: was.resulted + 2,
      balanced: true,
    });
    expect((await sync(kiosk)).counts).toMatchObject({ registered: 500, sampled: 500 });
  });
  it('an invalid retest tube sends the person back once more, in a single tube again', invalidRetest, ROUND_TIMEOUT);

  const audited = stage(async () => {
    // One after another: each retest story compares the lab's counts before and after its own tubes.
    for (const retest of [clearedRetest, positiveRetest, invalidRetest]) await retest();
    const csv = await http('GET', `${LAB_API.auditExport}?format=csv`);
    expect(csv.status).toBe(200);
    const text = csv.body as string;
    expect(text.startsWith('\uFEFF')).toBe(true);
    const lines = (parse(text, { bom: true }) as string[][]).slice(1);
    const count = (action: string) => lines.filter((l) => l[4] === action).length;
    expect(count('scan')).toBe(504);
    expect(count('group:seal')).toBe(tubes.size + 4);
    expect(count('box:add-tube')).toBe(tubes.size + 4);
    expect(count('box:hand-over')).toBe(7);
    expect(count('box:receive')).toBe(7);
    expect(count('lab:result')).toBe(tubes.size + 4);
    expect(lines.filter((l) => l[4] === 'box:receive' && l[6].startsWith('MISMATCH'))).toHaveLength(1);
    for (const l of lines) {
      expect(l[2], l.join(',')).toMatch(/^(kiosk|staff|volunteer)$/);
      expect(l[3], l.join(',')).not.toBe('');
    }
    expect(lines.filter((l) => l[4] === 'scan').every((l) => /^kiosk-A[1-5]$/.test(l[3]))).toBe(true);
    expect(lines.filter((l) => l[4] === 'box:hand-over').every((l) => l[2] === 'staff' && l[3] === 'lab-desk-1')).toBe(true);
    // No ID numbers or phones in the trail.
    for (const p of people.slice(0, 50)) {
      expect(text).not.toContain(p.idNumber);
      if (p.phone) expect(text).not.toContain(p.phone);
    }

    const xlsx = await fetch(`${site.url}${LAB_API.auditExport}?format=xlsx`, { headers: { authorization: `Bearer ${staffToken}` } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    expect(
      Buffer.from(await xlsx.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    expect((await http('GET', LAB_API.auditExport, undefined, kioskToken)).status).toBe(403);

    // The database itself refuses to rewrite history.
    await expect(
      site.server.store.write(async (tx) => {
        await (tx as unknown as { tx: { updateTable(t: string): any } }).tx.updateTable('audit').set({ detail: 'x' }).execute();
      }),
    ).rejects.toThrow(/append-only/);
  });
  it('keeps an append-only audit trail of every scan, seal, hand-over and result, with role and device', audited, ROUND_TIMEOUT);

  it('refuses a guessing spree at the own-result check', async () => {
    // From an address of its own: the limit is per address, and the retest stories check results from 127.0.0.1.
    const guess = (code: string) =>
      new Promise<number>((resolve, reject) => {
        const data = JSON.stringify({ code });
        nodeHttp
          .request(
            new URL(site.url + LAB_API.ownResult),
            {
              method: 'POST',
              localAddress: '127.0.0.9',
              headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
            },
            (res) => res.resume().on('end', () => resolve(res.statusCode ?? 0)),
          )
          .on('error', reject)
          .end(data);
      });
    let limited = 0;
    for (let i = 0; i < 25; i++) {
      const status = await guess(`NQ1:AAAAAAAAAA:${String(i).padStart(16, 'A')}`);
      if (status === 429) limited++;
      else expect(status).toBe(404);
    }
    expect(limited).toBeGreaterThan(0);
    expect(failure({ ok: false, error: { code: 'rate-limited', reason: 'code.too-many-checks', params: {} } }).code).toBe('rate-limited');
  });
});
