// Someone without a login sends huge bodies: 19 MB of "spreadsheet" to the JSON routes, uploads without a
// token, workbooks that unpack to gigabytes. Each is refused at once with a short answer, before its body
// is read or unpacked, while the kiosks keep scanning.
import http from 'node:http';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API, MAX_ROSTER_BYTES } from '../../shared/api';
import { LAB_API } from '../../shared/labApi';
import type { ApiError } from '../../shared/protocol';
import { MAX_RATIO, MAX_UNPACKED_BYTES } from '../../server/roster/xlsxSizeGuard';
import type { Listener } from '../support/testServer';
import { added, residents, scan, startSiteWithRoster, type RosterSite } from './helpers';

const MB = 1024 * 1024;
const BOMB_BYTES = 19 * MB;

interface Answer {
  status: number;
  body: string;
  sent: number;
  closed: Promise<void>;
}

/**
 * POSTs a body of `total` bytes in 64 KB pieces, sending the next piece only while no answer has come,
 * as a client would that watches for an early answer. `sent` tells how much the server had when it answered.
 */
function sendUntilAnswered(url: string, path: string, headers: Record<string, string>, total: number, chunked = false): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = http.request({
      // Keep-alive: the client never closes the connection itself, so a close is the server's doing.
      hostname,
      port,
      path,
      method: 'POST',
      agent: new http.Agent({ keepAlive: true }),
      headers: { ...headers, ...(chunked ? {} : { 'content-length': String(total) }) },
    });
    let sent = 0;
    let answered = false;
    const closed = new Promise<void>((done) => req.once('socket', (s) => s.once('close', () => done())));
    req.on('error', (err) => {
      // Writing into a connection the server has closed after answering is expected.
      if (!answered) reject(err);
    });
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), sent, closed }));
    });
    const piece = Buffer.alloc(64 * 1024, 'A');
    const pump = () => {
      while (!answered && sent < total) {
        const n = Math.min(piece.length, total - sent);
        sent += n;
        if (!req.write(piece.subarray(0, n))) return void req.once('drain', pump);
      }
      if (!answered) req.end();
    };
    pump();
  });
}

// ---- a zip writer for the bombs: real deflate, sizes declared as told ----

interface ZipPart {
  name: string;
  text?: string;
  repeat?: { piece: string; times: number };
  declareSize?: number;
}

async function deflated(part: ZipPart): Promise<{ data: Buffer; size: number; crc: number }> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (c: Buffer) => out.push(c));
  const ended = new Promise((done) => deflate.once('end', done));
  let size = 0;
  let crc = 0;
  const write = async (b: Buffer) => {
    size += b.length;
    crc = zlib.crc32(b, crc);
    if (!deflate.write(b)) await new Promise((done) => deflate.once('drain', done));
  };
  if (part.text !== undefined) await write(Buffer.from(part.text));
  if (part.repeat) {
    const piece = Buffer.from(part.repeat.piece);
    for (let k = 0; k < part.repeat.times; k++) await write(piece);
  }
  deflate.end();
  await ended;
  return { data: Buffer.concat(out), size, crc };
}

async function zipOf(parts: ZipPart[]): Promise<Buffer> {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const part of parts) {
    const { data, size, crc } = await deflated(part);
    const name = Buffer.from(part.name);
    const declared = part.declareSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(parts.length, 8);
  end.writeUInt16LE(parts.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** A one-sheet workbook whose shared-strings table holds one string of `bytes` letters. */
function workbookWithSharedString(bytes: number, declareSize?: number): Promise<Buffer> {
  const ns = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rels = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  return zipOf([
    {
      name: '[Content_Types].xml',
      text: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      text: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      text: `<?xml version="1.0"?><workbook xmlns="${ns}" xmlns:r="${rels}"><sheets><sheet name="花名册" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      text: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rels}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rels}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    },
    {
      name: 'xl/worksheets/sheet1.xml',
      text: `<?xml version="1.0"?><worksheet xmlns="${ns}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
    },
    {
      name: 'xl/sharedStrings.xml',
      text: `<?xml version="1.0"?><sst xmlns="${ns}" count="1" uniqueCount="1"><si><t>`,
      repeat: { piece: 'A'.repeat(MB), times: Math.ceil(bytes / MB) },
      declareSize,
    },
  ]);
}

async function upload(rs: RosterSite, path: string, file: Buffer, token?: string) {
  const res = await fetch(`${rs.site.url}${path}?filename=roster.xlsx`, {
    method: 'POST',
    body: new Uint8Array(file),
    headers: { 'content-type': 'application/octet-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: (await res.json()) as { error?: ApiError } };
}

// The limits are the HTTP layer's, the same on every backend.
describe('body bombs (sqlite)', () => {
  const people = residents(0, 40);
  let rs: RosterSite;
  let kiosk: Listener;

  beforeAll(async () => {
    rs = await startSiteWithRoster('sqlite', people);
    kiosk = await rs.site.connect('kiosk', 'kiosk-bombs');
  });
  afterAll(() => rs?.site.close());

  it('answers 19 MB of octet-stream or CSV sent to a JSON route with a short 415, before reading it', async () => {
    const token = await rs.site.token('kiosk');
    for (const path of [API.login, LAB_API.ownResult, LAB_API.boxes]) {
      for (const type of ['application/octet-stream', 'text/csv']) {
        const res = await sendUntilAnswered(rs.site.url, path, { 'content-type': type, authorization: `Bearer ${token}` }, BOMB_BYTES);
        expect(res.status, `${path} ${type}`).toBe(415);
        expect(res.body.length).toBeLessThan(1024);
        expect(JSON.parse(res.body)).toEqual({ error: { code: 'invalid', reason: 'request.not-json', params: {} } });
        expect(res.sent, `${path} ${type}: answered before the body was in`).toBeLessThan(BOMB_BYTES);
        await res.closed;
      }
    }
  });

  it('answers a JSON body over 64 KB (an upload over 20 MB) with a short 413, declared or streamed', async () => {
    for (const chunked of [false, true]) {
      const res = await sendUntilAnswered(rs.site.url, API.login, { 'content-type': 'application/json' }, BOMB_BYTES, chunked);
      expect(res.status).toBe(413);
      expect(res.body.length).toBeLessThan(1024);
      expect(JSON.parse(res.body).error).toEqual({ code: 'invalid', reason: 'request.too-large', params: { size: '64 KB' } });
      expect(res.sent).toBeLessThan(BOMB_BYTES);
      await res.closed;
    }
    // Even staff upload at most 200 MB: told so at once, from the declared length.
    const upload = await sendUntilAnswered(
      rs.site.url,
      API.rosterImport,
      { 'content-type': 'text/csv', authorization: `Bearer ${await rs.site.token('staff')}` },
      MAX_ROSTER_BYTES + 1,
    );
    expect(upload.status).toBe(413);
    expect(JSON.parse(upload.body).error).toMatchObject({ reason: 'request.too-large', params: { size: '200 MB' } });
    expect(upload.sent).toBeLessThan(MAX_ROSTER_BYTES);
    await upload.closed;
  });

  it('keeps a validation error short however many things are wrong', async () => {
    const fields = Object.fromEntries(Array.from({ length: 3000 }, (_, k) => [`field${k}`.padEnd(10, 'x'), k]));
    const res = await fetch(rs.site.url + API.login, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'staff', pin: 7, ...fields }),
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(1024);
    expect(JSON.parse(text).error.code).toBe('invalid');
  });

  it('refuses an upload without the staff role before reading its body, and closes the connection', async () => {
    const kioskToken = await rs.site.token('kiosk');
    for (const path of [API.rosterImport, API.rosterPreview, LAB_API.resultsImport]) {
      for (const [auth, status] of [
        [undefined, 401],
        ['Bearer staff.9999999999.forged', 401],
        [`Bearer ${kioskToken}`, 403],
      ] as const) {
        const res = await sendUntilAnswered(
          rs.site.url,
          path,
          { 'content-type': 'text/csv', ...(auth ? { authorization: auth } : {}) },
          BOMB_BYTES,
        );
        expect(res.status, `${path} ${auth}`).toBe(status);
        expect(res.body.length).toBeLessThan(1024);
        expect(res.sent, `${path} ${auth}: answered before the body was in`).toBeLessThan(BOMB_BYTES);
        // The server closes the connection although the client never finished its body.
        await res.closed;
      }
    }
  });

  it('refuses a workbook that unpacks past the limit (a zip bomb), naming the limit, before parsing it', async () => {
    const staff = await rs.site.token('staff');
    const bomb = await workbookWithSharedString(MAX_UNPACKED_BYTES + 10 * MB);
    expect(bomb.length).toBeLessThan(MB);
    for (const path of [API.rosterImport, API.rosterPreview, LAB_API.resultsImport]) {
      const res = await upload(rs, path, bomb, staff);
      expect(res.status, path).toBe(400);
      expect(res.body.error).toMatchObject({ reason: 'file.unpacks-too-large', params: { mb: 200 } });
    }
  });

  it(`refuses a workbook part that unpacks more than ${MAX_RATIO} times its packed size`, async () => {
    const res = await upload(rs, API.rosterImport, await workbookWithSharedString(50 * MB), await rs.site.token('staff'));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({
      reason: 'file.part-ratio',
      params: { part: 'xl/sharedStrings.xml', ratio: expect.any(Number), max: MAX_RATIO },
    });
  });

  it('refuses a workbook whose directory understates what a part unpacks to', async () => {
    const res = await upload(rs, API.rosterImport, await workbookWithSharedString(20 * MB, 4096), await rs.site.token('staff'));
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ reason: 'file.part-damaged', params: { part: 'xl/sharedStrings.xml' } });
  });

  it('keeps answering kiosk scans while bombs arrive', async () => {
    const bombs = Array.from({ length: 6 }, (_, k) =>
      sendUntilAnswered(
        rs.site.url,
        k % 2 ? API.login : API.rosterImport,
        { 'content-type': k % 3 ? 'text/csv' : 'application/octet-stream' },
        BOMB_BYTES,
      ),
    );
    const bombFile = workbookWithSharedString(MAX_UNPACKED_BYTES + 10 * MB).then(async (file) =>
      upload(rs, API.rosterImport, file, await rs.site.token('staff')),
    );
    const acks: number[] = [];
    for (const person of people.slice(0, 20)) {
      const t0 = performance.now();
      added(await scan(kiosk, rs.code(person)));
      acks.push(performance.now() - t0);
    }
    const answers = await Promise.all(bombs);
    expect(answers.map((a) => a.status).sort()).toEqual([401, 401, 401, 415, 415, 415]);
    expect((await bombFile).status).toBe(400);
    acks.sort((a, b) => a - b);
    // A figure for the report, not an assertion: the machine is shared.
    console.log(`kiosk scan ack under body bombs: median ${acks[10].toFixed(1)} ms, max ${acks[19].toFixed(1)} ms (20 scans)`);
  });
});
