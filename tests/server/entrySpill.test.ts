import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EntrySpill } from '../../server/roster/entrySpill';
import type { RosterEntry } from '../../shared/roster';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const entry = (i: number, over: Partial<RosterEntry> = {}): RosterEntry => ({
  name: `居民${i}`,
  idType: 'resident-id',
  idNumber: `11010519800101${String(i).padStart(4, '0')}`,
  nationality: '',
  idNote: '',
  phone: '13912345678',
  building: '3',
  unit: '2',
  room: '501',
  tags: [],
  ...over,
});

describe('the entries a roster check accepted, spilled to disk', () => {
  it('reads back every entry written, in order and field for field, whatever its text holds', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spill-'));
    dirs.push(dir);
    const odd: RosterEntry[] = [
      entry(0, { name: 'a\nb\r\nc\u2028d', idNote: '"quoted", \\ back\tslash', tags: ['elderly', 'pregnant'] }),
      entry(1, { idType: 'passport', idNumber: 'E12345678', nationality: 'Ｆｒａｎｃｅ \u0000\u001f', phone: '' }),
      entry(2, { idType: 'none', idNumber: '', idNote: '\uD800 lone surrogate, 𠀀 a pair', unit: '', room: '1\u00a0' }),
    ];
    const batches = [odd, [], Array.from({ length: 30_000 }, (_, i) => entry(i + 3)), [entry(30_003, { tags: ['walk-in'] })]];
    const spill = new EntrySpill(dir);
    for (const batch of batches) await spill.write(batch);
    const read: RosterEntry[] = [];
    for await (const batch of spill.batches()) read.push(...batch);
    expect(read).toEqual(batches.flat());
    expect(read.map((e) => Object.keys(e))).toEqual(batches.flat().map((e) => Object.keys(e)));
    await spill.remove();
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
