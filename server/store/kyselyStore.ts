// The store on Kysely: what every write shares (settings, idempotency replies, the change version,
// the audit) and each feature's storage, reached from the transaction (tx.queue(), tx.residents() …).
// The transactions themselves, and group commit, are transactionRunner.ts's.
import type { Kysely } from 'kysely';
import type { Connection, Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { prepared } from './preparedQuery';
import { inTransaction, TransactionRunner, type GroupedOptions, type TxOptions } from './transactionRunner';
import { HallTx } from './hallStore';
import { HomeVisitsTx } from './homeVisitStore';
import { LabTx } from './labStore';
import { QueueTx, type GroupMemberRow } from './queueStore';
import { ResidentsTx } from './residentStore';
import { abandonStaging } from './residentStaging';
import { RoundsTx } from './roundStore';
import { TeamsTx } from './teamStore';
import { TokenTx } from './tokenStore';
import type { AuditEntry, SavedReply, Store, StoredReply, StoreTx } from './store';
import { bumpVersionPg, groupAndCountsPg } from './pgScan';

// ---- the statements every scan runs here, built and compiled once (preparedQuery) ----
const REPLY = prepared((db, _d, key: string) => db.selectFrom('requests').select(['reply', 'request_hash']).where('key', '=', key));
const SAVE_REPLY = prepared((db, _d, key: string, reply: string, at: string, hash: string | null) =>
  db.insertInto('requests').values({ key, reply, created_at: at, request_hash: hash }),
);
const AUDIT = prepared((db, _d, role: string, device: string, action: string, subject: string, detail: string, at: string) =>
  db.insertInto('audit').values({ role, device, action, subject, detail, at }),
);
const BUMP_VERSION = prepared((db) =>
  db
    .updateTable('counters')
    .set((eb) => ({ value: eb('value', '+', 1) }))
    .where('name', '=', 'version')
    .returning('value'),
);

class KyselyTx implements StoreTx {
  // Each feature's storage is made once a transaction, when first asked for: the rounds' keeps the open round.
  private queueTx: QueueTx | undefined;
  private residentsTx: ResidentsTx | undefined;
  private hallTx: HallTx | undefined;
  private roundsTx: RoundsTx | undefined;
  private homeVisitsTx: HomeVisitsTx | undefined;
  private labTx: LabTx | undefined;
  private teamsTx: TeamsTx | undefined;
  private tokensTx: TokenTx | undefined;

  constructor(
    private readonly tx: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async setting(key: string) {
    return (await this.tx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value ?? null;
  }

  async putSetting(key: string, value: string, overwrite: boolean) {
    const result = await this.tx
      .insertInto('settings')
      .values({ key, value })
      .onConflict((oc) => (overwrite ? oc.column('key').doUpdateSet({ value }) : oc.column('key').doNothing()))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async findReply(key: string) {
    const [row] = await REPLY(this.tx, this.dialect, key);
    return row ? { reply: row.reply, requestHash: row.request_hash } : null;
  }

  async findReplies(keys: string[]) {
    const found = new Map<string, StoredReply>();
    if (keys.length === 1) {
      const one = await this.findReply(keys[0]);
      if (one) found.set(keys[0], one);
    } else if (keys.length > 1) {
      const rows = await this.tx.selectFrom('requests').select(['key', 'reply', 'request_hash']).where('key', 'in', keys).execute();
      for (const r of rows) found.set(r.key, { reply: r.reply, requestHash: r.request_hash });
    }
    return found;
  }

  async saveReplies(saved: SavedReply[]) {
    if (saved.length === 1) await SAVE_REPLY(this.tx, this.dialect, saved[0].key, saved[0].reply, saved[0].at, saved[0].requestHash);
    else if (saved.length > 1)
      await this.tx
        .insertInto('requests')
        .values(saved.map((r) => ({ key: r.key, reply: r.reply, created_at: r.at, request_hash: r.requestHash })))
        .execute();
  }

  async bumpVersion() {
    return Number((await BUMP_VERSION(this.tx, this.dialect))[0].value);
  }

  async finishChange(roundId: number, saved: SavedReply[], groupIds: number[]) {
    // The version first: its row lock waits for every earlier version's commit (another lane's, another
    // node's), so the groups and counts read next include all of them.
    let version: number;
    if (this.dialect === 'postgres') version = await bumpVersionPg(this.tx, saved);
    else {
      await this.saveReplies(saved);
      version = await this.bumpVersion();
    }
    if (this.dialect !== 'postgres' || groupIds.length > 1) {
      const groups = await this.queue().groups(groupIds);
      return { groups, counts: await this.queue().counts(roundId), version };
    }
    const rows = await groupAndCountsPg(this.tx, roundId, groupIds[0] ?? null);
    const [first] = rows;
    const counts = { registered: Number(first.registered ?? 0), sampled: Number(first.sampled ?? 0), waitingGroups: Number(first.waiting) };
    const groups = first.id === null || first.id === undefined ? [] : await this.queue().groupFromRows(rows as GroupMemberRow[]);
    return { groups, counts, version };
  }

  async version() {
    const row = await this.tx.selectFrom('counters').select('value').where('name', '=', 'version').executeTakeFirst();
    return Number(row?.value ?? 0);
  }

  async audit(entry: AuditEntry, at: string) {
    await AUDIT(this.tx, this.dialect, entry.role, entry.device, entry.action, entry.subject, entry.detail, at);
  }

  queue() {
    return (this.queueTx ??= new QueueTx(this.tx, this.dialect));
  }

  residents() {
    return (this.residentsTx ??= new ResidentsTx(this.tx, this.dialect));
  }

  hall() {
    return (this.hallTx ??= new HallTx(this.tx));
  }

  rounds() {
    return (this.roundsTx ??= new RoundsTx(this.tx));
  }

  homeVisits() {
    return (this.homeVisitsTx ??= new HomeVisitsTx(this.tx));
  }

  lab() {
    return (this.labTx ??= new LabTx(this.tx, this.dialect));
  }

  teams() {
    return (this.teamsTx ??= new TeamsTx(this.tx));
  }

  tokens() {
    return (this.tokensTx ??= new TokenTx(this.tx));
  }
}

export class KyselyStore implements Store {
  readonly dialect: Dialect;
  private readonly runner: TransactionRunner<StoreTx>;

  constructor(private readonly conn: Connection) {
    this.dialect = conn.dialect;
    this.runner = new TransactionRunner<StoreTx>(conn.db, conn.dialect, (tx) => new KyselyTx(tx, conn.dialect));
  }

  static async open(conn: Connection): Promise<KyselyStore> {
    // A first import's staging table (residentStaging.ts) outlives its import only by a crash: a data
    // folder has one server, so no import of this one is under way. The roster gets its indexes back.
    if (conn.dialect === 'sqlite') await inTransaction(conn.db, abandonStaging);
    await conn.db
      .insertInto('counters')
      .values({ name: 'version', value: 0 })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return new KyselyStore(conn);
  }

  write<T>(fn: (tx: StoreTx) => Promise<T>, opts?: TxOptions): Promise<T> {
    return this.runner.write(fn, opts);
  }

  writeGrouped<T>(fn: (tx: StoreTx) => Promise<T>, opts?: GroupedOptions<StoreTx>): Promise<T> {
    return this.runner.writeGrouped(fn, opts);
  }

  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    return this.runner.read(fn);
  }

  async close() {
    await this.conn.db.destroy();
  }
}
