// The entries a roster check accepted, written to a private file in the uploads folder as they are
// found and read back for the import: a district's million people are checked once and never all
// held in memory. One JSON array a line.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { IdType } from '../../shared/idTypes';
import type { RosterEntry } from '../../shared/roster';
import type { Tag } from '../../shared/tags';

type Line = [string, IdType, string, string, string, string, string, string, string, Tag[]];

const toLine = (e: RosterEntry): Line => [
  e.name,
  e.idType,
  e.idNumber,
  e.nationality,
  e.idNote,
  e.phone,
  e.building,
  e.unit,
  e.room,
  e.tags,
];
const fromLine = ([name, idType, idNumber, nationality, idNote, phone, building, unit, room, tags]: Line): RosterEntry => ({
  name,
  idType,
  idNumber,
  nationality,
  idNote,
  phone,
  building,
  unit,
  room,
  tags,
});

export class EntrySpill {
  private readonly file: string;
  private readonly out: fs.WriteStream;
  /** A failed write (disk full): the import fails with it, writing nothing. */
  private failure: Error | null = null;

  constructor(dir: string) {
    this.file = path.join(dir, `${randomUUID()}.accepted`);
    this.out = fs.createWriteStream(this.file, { mode: 0o600 });
    this.out.on('error', (err) => (this.failure ??= err));
  }

  async write(entries: readonly RosterEntry[]): Promise<void> {
    if (this.failure) throw this.failure;
    if (entries.length === 0) return;
    if (!this.out.write(entries.map((e) => JSON.stringify(toLine(e))).join('\n') + '\n')) await once(this.out, 'drain');
  }

  /** The entries written, in their order, a batch at a time; call once writing is done. */
  async *batches(): AsyncGenerator<RosterEntry[]> {
    this.out.end();
    await once(this.out, 'finish');
    if (this.failure) throw this.failure;
    let carry = '';
    for await (const chunk of fs.createReadStream(this.file, { encoding: 'utf8', highWaterMark: 1024 * 1024 })) {
      const lines = (carry + (chunk as string)).split('\n');
      carry = lines.pop()!;
      if (lines.length) yield lines.map((l) => fromLine(JSON.parse(l) as Line));
    }
  }

  async remove(): Promise<void> {
    this.out.destroy();
    await fs.promises.rm(this.file, { force: true });
  }
}
