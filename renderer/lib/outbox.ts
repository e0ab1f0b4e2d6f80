// The kiosk's durable outbox (IndexedDB): every scan and walk-in is written here first, with its
// idempotency key, and removed only once the server has answered it. Strict durability: a write
// is on disk before it resolves, so a power cut or a closed tab loses nothing.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ScanRequest, WalkInRequest } from '../../shared/protocol';

export type OutboxItem = { event: 'scan'; req: ScanRequest } | { event: 'walk-in'; req: WalkInRequest };

export interface OutboxEntry {
  /** Order of arrival: replays go strictly in this order. */
  seq: number;
  item: OutboxItem;
}

interface OutboxDb extends DBSchema {
  requests: { key: number; value: { seq?: number; item: OutboxItem } };
}

const STORE = 'requests';

export class Outbox {
  private constructor(private readonly db: IDBPDatabase<OutboxDb>) {}

  static async open(name = 'natq-outbox'): Promise<Outbox> {
    const db = await openDB<OutboxDb>(name, 1, {
      upgrade(d) {
        d.createObjectStore(STORE, { keyPath: 'seq', autoIncrement: true });
      },
    });
    return new Outbox(db);
  }

  async add(item: OutboxItem): Promise<number> {
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    const seq = await tx.store.add({ item });
    await tx.done;
    return seq;
  }

  async remove(seq: number): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    await tx.store.delete(seq);
    await tx.done;
  }

  /** The oldest entry not yet answered, if any. */
  async oldest(): Promise<OutboxEntry | null> {
    const cursor = await this.db.transaction(STORE).store.openCursor();
    return cursor ? { seq: cursor.key, item: cursor.value.item } : null;
  }

  /** Every entry not yet answered, oldest first. */
  async all(): Promise<OutboxEntry[]> {
    return (await this.db.getAll(STORE)).map((v) => ({ seq: v.seq!, item: v.item }));
  }

  count(): Promise<number> {
    return this.db.count(STORE);
  }
}
