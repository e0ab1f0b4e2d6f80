// The entries a roster check accepted, written to a private file in the uploads folder as they are
// found and read back for the import: a district's million people are checked once and never all
// held in memory. A batch is a line: one JSON array of its entries' fields, one entry after another
// (one call to the native JSON code a batch, instead of one an entry).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type { IdType } from '../../shared/idTypes';
import type { RosterEntry } from '../../shared/roster';
import type { Tag } from '../../shared/tags';

/** An entry's fields, in this order. */
type Fields = [string, IdType, string, string, string, string, string, string, string, Tag[]];
const FIELDS = 10;

function toLine(entries: readonly RosterEntry[]): string {
  const line: Fields[number][] = [];
  for (const e of entries) line.push(e.name, e.idType, e.idNumber, e.nationality, e.idNote, e.phone, e.building, e.unit, e.room, e.tags);
  return JSON.stringify(line);
}

function fromLine(text: string, into: RosterEntry[]): void {
  const line = JSON.parse(text) as Fields[number][];
  for (let i = 0; i < line.length; i += FIELDS) {
    const [name, idType, idNumber, nationality, idNote, phone, building, unit, room, tags] = line.slice(i, i + FIELDS) as Fields;
    into.push({ name, idType, idNumber, nationality, idNote, phone, building, unit, room, tags });
  }
}

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
    if (!this.out.write(toLine(entries) + '\n')) await once(this.out, 'drain');
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
      const entries: RosterEntry[] = [];
      for (const line of lines) fromLine(line, entries);
      if (entries.length) yield entries;
    }
  }

  async remove(): Promise<void> {
    this.out.destroy();
    await fs.promises.rm(this.file, { force: true });
  }
}
