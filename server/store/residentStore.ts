// Storage of the roster's residents inside one transaction: look-ups for a scan, the kiosk search,
// buildings and households, pre-registrations. Reached from any StoreTx through tx.residents().
import type { Kysely } from 'kysely';
import type { Dialect } from '../db/connect';
import type { Database } from '../db/schema';
import { nameInitials, type SearchQuery } from '../../shared/residentSearch';
import { naturalCompare } from '../../shared/naturalOrder';
import { insertResidentRows, residentsWithIdHashes } from './residentBulk';
import { prepared } from './preparedQuery';
import { abandonStaging, beginStaging, knownStaged, moveIndexToStaged, rosterIndexes, swapInStaged, STAGED } from './residentStaging';
import type { NewResident, ResidentRow } from './rows';

/** Search columns derived from the name, written with it so a query never recomputes them. */
function withInitials<R extends { name: string }>(row: R): R & { name_initials: string } {
  return { ...row, name_initials: nameInitials(row.name) };
}

// Every scan looks its person up: built and compiled once (preparedQuery).
const BY_UID = prepared((db, _d, uid: string) => db.selectFrom('residents').selectAll().where('uid', '=', uid));
const BY_ID_HASH = prepared((db, _d, hash: string) => db.selectFrom('residents').selectAll().where('id_hash', '=', hash));

export class ResidentsTx {
  constructor(
    private readonly tx: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async byUid(uid: string): Promise<ResidentRow | null> {
    return (await BY_UID(this.tx, this.dialect, uid))[0] ?? null;
  }

  async byIdHash(hash: string): Promise<ResidentRow | null> {
    return (await BY_ID_HASH(this.tx, this.dialect, hash))[0] ?? null;
  }

  /** The residents with any of these ID hashes (roster import), in one statement. */
  async byIdHashes(hashes: string[]): Promise<ResidentRow[]> {
    return residentsWithIdHashes(this.tx, this.dialect, hashes);
  }

  /** Inserts in bulk (roster import), in the rows' order. */
  async insertMany(rows: NewResident[]): Promise<void> {
    await insertResidentRows(this.tx, this.dialect, rows);
  }

  /** Starts an import's staging table (residentStaging.ts) where it pays: SQLite, a small roster. */
  async beginStaging(most: number): Promise<boolean> {
    return this.dialect === 'sqlite' && beginStaging(this.tx, most);
  }

  async insertStaged(rows: NewResident[]): Promise<void> {
    await insertResidentRows(this.tx, this.dialect, rows, STAGED);
  }

  async rosterIndexes(): Promise<string[]> {
    return rosterIndexes(this.tx);
  }

  async moveIndexToStaged(name: string): Promise<void> {
    await moveIndexToStaged(this.tx, name);
  }

  async knownStaged(): Promise<ResidentRow[]> {
    return knownStaged(this.tx);
  }

  /** The staged people (less those merged) and the roster's as the roster; foreign keys checked at commit. */
  async swapInStaged(merged: number[]): Promise<void> {
    await swapInStaged(this.tx, merged);
  }

  async abandonStaging(): Promise<void> {
    await abandonStaging(this.tx);
  }

  async insert(row: NewResident): Promise<ResidentRow> {
    return this.tx.insertInto('residents').values(withInitials(row)).returningAll().executeTakeFirstOrThrow();
  }

  async update(id: number, row: Partial<NewResident>): Promise<void> {
    await this.tx
      .updateTable('residents')
      .set(row.name === undefined ? row : withInitials({ ...row, name: row.name }))
      .where('id', '=', id)
      .execute();
  }

  async buildings(): Promise<{ building: string; households: number; residents: number }[]> {
    const rows = await this.tx
      .selectFrom('residents')
      .select([
        'building',
        (eb) => eb.fn.count<number>('household').distinct().as('households'),
        (eb) => eb.fn.countAll<number>().as('residents'),
      ])
      .groupBy('building')
      .execute();
    return rows
      .map((r) => ({ building: r.building, households: Number(r.households), residents: Number(r.residents) }))
      .sort((a, b) => naturalCompare(a.building, b.building));
  }

  async ofBuilding(building: string): Promise<ResidentRow[]> {
    return this.tx.selectFrom('residents').selectAll().where('building', '=', building).execute();
  }

  async ofHouseholds(households: string[]): Promise<ResidentRow[]> {
    if (households.length === 0) return [];
    return this.tx.selectFrom('residents').selectAll().where('household', 'in', households).orderBy('id').execute();
  }

  /** Residents carrying a tag (pre-registrations: 'unverified'), oldest first. */
  async tagged(tag: string): Promise<ResidentRow[]> {
    // Tags are stored as a JSON array of words: the quoted word matches that tag alone.
    return this.tx
      .selectFrom('residents')
      .selectAll()
      .where('tags', 'like', `%${JSON.stringify(tag)}%`)
      .orderBy('id')
      .execute();
  }

  /** Residents matching a kiosk search, by household then name. */
  async search(query: SearchQuery, limit: number): Promise<ResidentRow[]> {
    let q = this.tx.selectFrom('residents').selectAll();
    if (query.kind === 'initials') q = q.where('name_initials', 'like', `${query.initials}%`);
    if (query.kind === 'name') q = q.where('name', 'like', `%${query.text}%`);
    if (query.kind === 'room') {
      const [building, second, third] = query.parts;
      q = q.where((eb) => {
        if (third !== undefined) return eb.and([eb('building', '=', building), eb('unit', '=', second), eb('room', 'like', `${third}%`)]);
        // 3-2 is building 3 unit 2 (or a prefix of such a household); 3-501 is room 501 of building 3, any unit.
        if (second !== undefined)
          return eb.or([
            eb('household', 'like', `${building}-${second}%`),
            eb.and([eb('building', '=', building), eb('room', 'like', `${second}%`)]),
          ]);
        return eb.or([eb('building', '=', building), eb('room', 'like', `${building}%`)]);
      });
    }
    return q.orderBy('building').orderBy('household').orderBy('name').limit(limit).execute();
  }
}
