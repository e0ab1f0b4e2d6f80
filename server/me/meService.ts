// /me: a resident finds their own code with the details the community holds, or pre-registers
// when they are not on the roster. The answer never tells whether someone is on the roster: a
// person not found and wrong details cost the same work (a hash, a look-up, a decryption and two
// constant-time compares) and get the same error. Nothing here is logged.
import crypto from 'node:crypto';
import { householdKey, normalizeAddress } from '../../shared/household';
import { checkPersonId, DEFAULT_ID_TYPE, foldName, idFault, idKey, maskId, normalizeId } from '../../shared/idTypes';
import type { FindCodeRequest, FoundCode, Preregistration, PreregisterRequest } from '../../shared/meApi';
import { maskName } from '../../shared/names';
import { isValidPhone, normalizePhone } from '../../shared/phone';
import { formatResidentCode } from '../../shared/residentCode';
import { ActionError } from '../queue/actionError';
import type { Actor } from '../../shared/roles';
import type { ResidentCrypto } from '../security/residentCrypto';
import { parseTags, type ResidentRow, type Store } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';

export const UNVERIFIED = 'unverified';

/** The one answer for "not on the roster" and "details do not match". */
export const NO_MATCH = 'no match for these details: check them against your ID card and what you gave the community, or pre-register';

export class MeService {
  /** Decrypted when nobody matched, so a miss costs what a hit costs. */
  private readonly decoyPhone: string;
  private readonly compareKey = crypto.randomBytes(32);

  constructor(
    private readonly store: Store,
    private readonly residentCrypto: ResidentCrypto,
    private readonly pipeline: WritePipeline,
  ) {
    this.decoyPhone = residentCrypto.encrypt('00000000000');
  }

  async find(req: FindCodeRequest): Promise<FoundCode> {
    // Only the number is checked: a passport holder finds their code without typing the nationality.
    const { idType = DEFAULT_ID_TYPE } = req;
    const idNumber = normalizeId(idType, req.idNumber);
    const fault = idNumber ? idFault(idType, idNumber) : 'id-empty';
    if (fault) throw new ActionError('id.refused', { fault });
    const hash = this.residentCrypto.hashId(idKey(idType, idNumber));
    const resident = await this.store.read((tx) => tx.residents().byIdHash(hash));
    const phone = this.residentCrypto.decrypt(resident?.phone_enc ?? this.decoyPhone);
    const nameOk = this.sameText(resident?.name ?? '\u0000', req.name);
    // The last 4 digits count only when the roster holds a phone.
    const phoneOk = this.sameText(phone.slice(-4), req.phoneLast4 ?? '') || !resident?.phone_enc;
    if (!resident || !nameOk || !phoneOk) throw new ActionError('me.no-match');
    return this.found(resident);
  }

  /**
   * Someone not on the roster: a resident marked unverified, with a code at once. Written once per
   * key (a retried submit gets the same code). An ID number already registered is refused: its
   * owner finds their code with `find`, and nobody gets another person's code by pre-registering.
   */
  async preregister(req: PreregisterRequest): Promise<FoundCode> {
    const checked = checkPersonId(req.idType ?? DEFAULT_ID_TYPE, req.idNumber, req.nationality);
    if (!checked.ok) throw new ActionError('id.refused', { fault: checked.fault });
    const { id } = checked;
    const phone = normalizePhone(req.phone);
    if (!isValidPhone(phone)) throw new ActionError('phone.invalid');
    const address = normalizeAddress({ building: req.building, unit: req.unit, room: req.room });
    const at = this.pipeline.now().toISOString();
    return this.pipeline.run('me:preregister', req.key, req, async (tx) => {
      const hash = this.residentCrypto.hashId(idKey(req.idType ?? DEFAULT_ID_TYPE, id.idNumber));
      if (await tx.residents().byIdHash(hash)) {
        throw new ActionError('me.already-registered');
      }
      const resident = await tx.residents().insert({
        uid: this.residentCrypto.newUid(),
        name: req.name,
        id_type: id.idType,
        id_hash: hash,
        id_masked: maskId(id.idType, id.idNumber),
        id_enc: this.residentCrypto.encrypt(id.idNumber),
        phone_enc: this.residentCrypto.encrypt(phone),
        nationality: id.nationality,
        id_note: '',
        ...address,
        household: householdKey(address),
        tags: JSON.stringify([UNVERIFIED]),
        created_at: at,
        updated_at: at,
      });
      await tx.audit({ role: 'resident', device: 'me', action: 'me:preregister', subject: `resident ${resident.uid}`, detail: '' }, at);
      return { reply: this.found(resident), announce: null };
    });
  }

  /** Pre-registrations staff have not confirmed yet. */
  async preregistrations(): Promise<Preregistration[]> {
    const rows = await this.store.read((tx) => tx.residents().tagged(UNVERIFIED));
    return rows.map((r) => ({
      uid: r.uid,
      name: r.name,
      idType: r.id_type,
      maskedIdNumber: r.id_masked,
      building: r.building,
      unit: r.unit,
      room: r.room,
      createdAt: r.created_at,
    }));
  }

  /** Staff checked these people's ID cards: from now on they are residents like any other. */
  async confirm(actor: Actor, key: string, uids: string[]): Promise<{ confirmed: number }> {
    const at = this.pipeline.now().toISOString();
    return this.pipeline.run('me:confirm', key, { uids }, async (tx) => {
      let confirmed = 0;
      for (const uid of uids) {
        const r = await tx.residents().byUid(uid);
        const tags = r ? parseTags(r.tags) : [];
        if (!r || !tags.includes(UNVERIFIED)) continue;
        await tx.residents().update(r.id, { tags: JSON.stringify(tags.filter((t) => t !== UNVERIFIED)), updated_at: at });
        await tx.audit({ ...actor, action: 'me:confirm', subject: `resident ${uid}`, detail: '' }, at);
        confirmed++;
      }
      return { reply: { confirmed }, announce: null };
    });
  }

  /** Equal texts, compared in constant time (keyed digests: the lengths give nothing away either). */
  private sameText(a: string, b: string): boolean {
    const digest = (s: string) => crypto.createHmac('sha256', this.compareKey).update(foldName(s)).digest();
    return crypto.timingSafeEqual(digest(a), digest(b));
  }

  private found(r: ResidentRow): FoundCode {
    return {
      code: formatResidentCode(this.residentCrypto.codeFor(r.uid)),
      maskedName: maskName(r.name),
      unverified: parseTags(r.tags).includes(UNVERIFIED),
    };
  }
}
