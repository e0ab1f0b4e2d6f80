// Tubes to the lab and results back: boxes, hand-over with both sides confirming, the transit
// timer, the lab's result file, the retest list, a resident's own result. Every write is audited.
import { isValidPhone, normalizePhone } from '../../shared/phone';
import type { BoxView, LabOverview, OwnResult, ResultsReport, RetestList } from '../../shared/labApi';
import { latestSample, normalizeTubeCode, parseResultValue, resultColumns, residentStatus, retestReasonFor } from '../../shared/labResults';
import { TUBE_CODE_PATTERN } from '../../shared/ids';
import { parseResidentCode } from '../../shared/residentCode';
import { checkLimits, DEFAULT_TRANSIT_LIMITS, transitAlerts, type TransitLimits } from '../../shared/transitTimer';
import { reconcile, tubeStateOf, tubeStep, type TubeStep } from '../../shared/tubeStates';
import { ActionError } from '../queue/actionError';
import { currentRound } from '../rounds/currentRound';
import type { ParamsArg, ReasonCode } from '../../shared/reasons';
import type { Actor } from '../../shared/roles';
import { readRosterFile } from '../roster/readRosterFile';
import type { ResidentCrypto } from '../security/residentCrypto';
import type { RoundRow, Store, StoreTx } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';
import type { BoxRow, TubeRow } from '../store/labStore';
import { naturalCompare } from '../../shared/naturalOrder';

const LIMITS_SETTING = 'lab.transit-limits';

export class LabService {
  private readonly now: () => Date;

  constructor(
    private readonly store: Store,
    private readonly pipeline: WritePipeline,
    private readonly crypto: ResidentCrypto,
  ) {
    this.now = pipeline.now;
  }

  /**
   * Lab writes go through the write pipeline; nothing of them reaches the hall (no change is
   * announced). A keyed one (the two steps that cannot simply be repeated) runs once per key.
   */
  private write<T>(op: string, fn: (tx: StoreTx) => Promise<T>, keyed: { key?: string; request: object } | null = null): Promise<T> {
    return this.pipeline.run(op, keyed?.key ?? null, keyed?.request ?? null, async (tx) => ({ reply: await fn(tx) }));
  }

  // ---- transport -------------------------------------------------------------------------

  /** Opens a box by its code; scanning an open box's code again just picks it up. */
  async openBox(actor: Actor, code: string): Promise<BoxView> {
    return this.write('lab:open-box', async (tx) => {
      const round = await currentRound(tx);
      const existing = await tx.lab().box(round.id, code, true);
      if (existing) {
        if (existing.state !== 'open') throw new ActionError('box.not-open', { box: code, state: existing.state });
        return this.boxView(tx, round, existing.code);
      }
      const at = this.now().toISOString();
      await tx.lab().insertBox(round.id, code, at);
      await tx.audit({ ...actor, action: 'box:open', subject: `box ${code}`, detail: '' }, at);
      return this.boxView(tx, round, code);
    });
  }

  /** A sealed tube into an open box: only sealed tubes, each in one box only. */
  async addTube(actor: Actor, boxCode: string, tubeCode: string): Promise<BoxView> {
    return this.write('lab:add-tube', async (tx) => {
      const round = await currentRound(tx);
      const box = await this.lockedBox(tx, round, boxCode);
      if (box.state !== 'open') throw new ActionError('box.not-open', { box: boxCode, state: box.state });
      const group = await tx.queue().groupByTube(tubeCode);
      if (!group || group.round_id !== round.id) throw new ActionError('tube.not-this-round', { tube: tubeCode });
      const [tube] = await tx.lab().tubes(round.id, group.id);
      if (!tube) throw new ActionError('tube.not-sealed', { tube: tubeCode, group: group.label });
      if (tube.boxCode === box.code) return this.boxView(tx, round, box.code);
      if (tube.boxCode) throw new ActionError('tube.in-box', { tube: tubeCode, box: tube.boxCode });
      this.step('box', tube, actor);
      const at = this.now().toISOString();
      await tx.lab().addTube(box.id, group.id, at);
      await tx.audit({ ...actor, action: 'box:add-tube', subject: `box ${box.code}`, detail: `tube ${tubeCode} (${group.label})` }, at);
      return this.boxView(tx, round, box.code);
    });
  }

  async closeBox(actor: Actor, boxCode: string): Promise<BoxView> {
    return this.write('lab:close-box', async (tx) => {
      const round = await currentRound(tx);
      const box = await this.lockedBox(tx, round, boxCode);
      if (box.state === 'closed') return this.boxView(tx, round, box.code);
      if (box.state !== 'open') throw new ActionError('box.not-open', { box: boxCode, state: box.state });
      const count = await tx.lab().tubeCount(box.id);
      if (count === 0) throw new ActionError('box.empty', { box: boxCode });
      const at = this.now().toISOString();
      await tx.lab().updateBox(box.id, { state: 'closed', closed_at: at });
      await tx.audit({ ...actor, action: 'box:close', subject: `box ${box.code}`, detail: `${count} tubes` }, at);
      return this.boxView(tx, round, box.code);
    });
  }

  /** The courier signs for a closed box with their name and phone (the phone is stored encrypted). */
  async handOver(actor: Actor, boxCode: string, courier: { name: string; phone: string; key?: string }): Promise<BoxView> {
    const phone = normalizePhone(courier.phone);
    if (!isValidPhone(phone)) throw new ActionError('courier.phone-invalid');
    return this.write(
      'lab:hand-over',
      async (tx) => {
        const round = await currentRound(tx);
        const box = await this.lockedBox(tx, round, boxCode);
        if (box.state === 'open') throw new ActionError('box.close-first', { box: boxCode });
        if (box.state !== 'closed') throw new ActionError('box.handed-over', { box: boxCode });
        this.stepRole('hand-over', actor);
        const at = this.now().toISOString();
        await tx.lab().updateBox(box.id, {
          state: 'handed-over',
          courier_name: courier.name,
          courier_phone_enc: this.crypto.encrypt(phone),
          handed_over_at: at,
        });
        const count = await tx.lab().tubeCount(box.id);
        await tx.audit(
          { ...actor, action: 'box:hand-over', subject: `box ${box.code}`, detail: `${count} tubes to courier ${courier.name}` },
          at,
        );
        return this.boxView(tx, round, box.code);
      },
      { key: courier.key, request: { box: boxCode, ...courier } },
    );
  }

  /** The lab receiver confirms with the number of tubes they counted; a different number is flagged. */
  async receive(actor: Actor, boxCode: string, receipt: { receiver: string; count: number; key?: string }): Promise<BoxView> {
    return this.write(
      'lab:receive',
      async (tx) => {
        const round = await currentRound(tx);
        const box = await this.lockedBox(tx, round, boxCode);
        if (box.state === 'received') throw new ActionError('box.received', { box: boxCode });
        if (box.state !== 'handed-over') throw new ActionError('box.not-handed-over', { box: boxCode });
        this.stepRole('receive', actor);
        const at = this.now().toISOString();
        const count = await tx.lab().tubeCount(box.id);
        await tx
          .lab()
          .updateBox(box.id, { state: 'received', receiver_name: receipt.receiver, received_count: receipt.count, received_at: at });
        const detail =
          receipt.count === count
            ? `${count} tubes by ${receipt.receiver}`
            : `MISMATCH: counted ${receipt.count}, box holds ${count}; by ${receipt.receiver}`;
        await tx.audit({ ...actor, action: 'box:receive', subject: `box ${box.code}`, detail }, at);
        return this.boxView(tx, round, box.code);
      },
      { key: receipt.key, request: { box: boxCode, ...receipt } },
    );
  }

  async limits(): Promise<TransitLimits> {
    return this.store.read((tx) => readLimits(tx));
  }

  async setLimits(actor: Actor, limits: TransitLimits): Promise<TransitLimits> {
    const problem = checkLimits(limits);
    if (problem) throw ActionError.of(problem);
    return this.write('lab:transit-limits', async (tx) => {
      await tx.putSetting(LIMITS_SETTING, JSON.stringify(limits), true);
      await tx.audit(
        {
          ...actor,
          action: 'lab:transit-limits',
          subject: 'settings',
          detail: `warn ${limits.warnMinutes} min, hard ${limits.hardMinutes} min`,
        },
        this.now().toISOString(),
      );
      return limits;
    });
  }

  /** Boxes, every sealed tube's state, the reconciliation and the transit alerts, for the staff page. */
  async overview(): Promise<LabOverview> {
    return this.store.read(async (tx) => {
      const round = await currentRound(tx);
      const tubes = await tx.lab().tubes(round.id);
      const limits = await readLimits(tx);
      const positives = [...(await tx.lab().samples(round.id)).values()].filter((s) => residentStatus(s) === 'positive').length;
      return {
        boxes: (await tx.lab().boxes(round.id)).map(toBoxView),
        tubes: tubes.map((t) => ({
          tubeCode: t.tubeCode,
          groupLabel: t.groupLabel,
          kind: t.kind,
          people: t.people,
          state: tubeStateOf(t),
          sealedAt: t.sealedAt,
          box: t.boxCode,
          result: t.result,
        })),
        reconciliation: reconcile(tubes),
        alerts: transitAlerts(tubes, this.now(), limits),
        limits,
        positives,
      };
    });
  }

  // ---- results ---------------------------------------------------------------------------

  /**
   * The lab's result file. Rows that cannot be applied (unknown tube, repeated row, unknown word,
   * tube not received) are reported by Excel row number; every other row is applied.
   */
  async importResults(actor: Actor, bytes: Buffer, filename?: string): Promise<ResultsReport> {
    const table = await readRosterFile(bytes, filename);
    const columns = resultColumns(table.headers);
    if ('missing' in columns) {
      const names = { tube: '试管编码', result: '结果' };
      throw new ActionError('results.missing-columns', { columns: columns.missing.map((m) => names[m]).join('、') });
    }
    return this.write('lab:results', async (tx) => {
      const round = await currentRound(tx);
      const report: ResultsReport = { rows: table.rows.length, applied: 0, unchanged: 0, rejected: [], retests: 0 };
      const seen = new Map<string, number>();
      const at = this.now().toISOString();
      for (const { row, cells } of table.rows) {
        const reject = <R extends ReasonCode>(reason: R, ...[params]: ParamsArg<R>) =>
          report.rejected.push({ row, reason, params: params ?? {} } as ResultsReport['rejected'][number]);
        const code = normalizeTubeCode(cells[columns.tube] ?? '');
        const word = (cells[columns.result] ?? '').trim();
        if (!TUBE_CODE_PATTERN.test(code)) {
          if (code) reject('result-row.bad-tube-code', { value: code });
          else reject('result-row.no-tube-code');
          continue;
        }
        const result = parseResultValue(word);
        if (!result) {
          if (word) reject('result-row.bad-result', { value: word });
          else reject('result-row.no-result', { tube: code });
          continue;
        }
        const first = seen.get(code);
        if (first !== undefined) {
          reject('result-row.repeated', { tube: code, first });
          continue;
        }
        seen.set(code, row);
        const group = await tx.queue().groupByTube(code);
        const [tube] = group && group.round_id === round.id ? await tx.lab().tubes(round.id, group.id) : [];
        if (!tube) {
          reject('result-row.unknown-tube', { tube: code });
          continue;
        }
        if (tube.result) {
          if (tube.result === result) report.unchanged++;
          else reject('result-row.has-result', { tube: code, result: tube.result });
          continue;
        }
        const step = tubeStep('result', tubeStateOf(tube), actor.role);
        if (!step.ok) {
          if (step.reason === 'role') reject('auth.role-forbidden', { role: actor.role });
          else reject('result-row.not-received', { tube: code, state: tubeStateOf(tube) });
          continue;
        }
        await tx.lab().insertResult(tube.groupId, result, at);
        report.applied++;
        let listed = 0;
        const reason = retestReasonFor(result, tube.kind);
        if (reason) {
          for (const m of await tx.lab().sampledMembers(tube.groupId)) {
            // A positive retest tube is final (staff see it as positive); an invalid one asks for the next attempt.
            if (m.retest > 0 && reason !== 'invalid') continue;
            if (await tx.lab().addRetest(round.id, m.residentId, reason, tube.groupId, m.retest + 1, at)) listed++;
          }
        }
        report.retests += listed;
        await tx.audit(
          { ...actor, action: 'lab:result', subject: `tube ${code}`, detail: `${result}${listed ? `; ${listed} people to retest` : ''}` },
          at,
        );
      }
      return report;
    });
  }

  /** Who must come back for a single-tube sample, and who tested positive: staff only (rooms, phones). */
  async retestList(): Promise<RetestList> {
    return this.store.read(async (tx) => {
      const round = await currentRound(tx);
      const phone = (enc: string | null) => (enc ? this.crypto.decrypt(enc) : '');
      const retests = (await tx.lab().retests(round.id)).map((r) => ({
        residentId: r.residentId,
        name: r.name,
        building: r.building,
        unit: r.unit,
        room: r.room,
        phone: phone(r.phoneEnc),
        reason: r.reason,
        tubeCode: r.tubeCode,
        done: r.done,
      }));
      const samples = await tx.lab().samples(round.id);
      const positiveIds = [...samples].filter(([, s]) => residentStatus(s) === 'positive').map(([id]) => id);
      const positives = (await tx.lab().residentsById(positiveIds)).map((r) => {
        const list = samples.get(r.id) ?? [];
        return {
          name: r.name,
          building: r.building,
          unit: r.unit,
          room: r.room,
          phone: phone(r.phone_enc),
          tubeCode: latestSample(list)?.tubeCode ?? '',
        };
      });
      const byRoom = <T extends { building: string; unit: string; room: string }>(a: T, b: T) =>
        naturalCompare(`${a.building}-${a.unit}-${a.room}`, `${b.building}-${b.unit}-${b.room}`);
      return { retests: retests.sort(byRoom), positives: positives.sort(byRoom) };
    });
  }

  /** A resident's own result by their printed code: nothing about anyone else, no name. */
  async ownResult(codeText: string): Promise<OwnResult> {
    const code = parseResidentCode(codeText.trim().toUpperCase());
    const unknown = new ActionError('code.unknown');
    if (!code || !this.crypto.verifyCode(code)) throw unknown;
    return this.store.read(async (tx) => {
      const resident = await tx.residents().byUid(code.uid);
      if (!resident) throw unknown;
      const round = await currentRound(tx);
      const samples = (await tx.lab().samples(round.id, resident.id)).get(resident.id) ?? [];
      const latest = latestSample(samples);
      return {
        round: round.name,
        status: residentStatus(samples),
        ...(latest ? { sample: { sampledAt: latest.sampledAt, groupLabel: latest.groupLabel } } : {}),
      };
    });
  }

  // ---- helpers ----------------------------------------------------------------------------

  private async lockedBox(tx: StoreTx, round: RoundRow, code: string): Promise<BoxRow> {
    const box = await tx.lab().box(round.id, code, true);
    if (!box) throw new ActionError('box.not-found', { box: code });
    return box;
  }

  private step(step: TubeStep, tube: TubeRow, actor: Actor): void {
    const result = tubeStep(step, tubeStateOf(tube), actor.role);
    if (!result.ok) {
      throw result.reason === 'role'
        ? new ActionError('auth.role-forbidden', { role: actor.role })
        : new ActionError('tube.wrong-state', { tube: tube.tubeCode, state: tubeStateOf(tube) });
    }
  }

  private stepRole(step: TubeStep, actor: Actor): void {
    const result = tubeStep(step, step === 'hand-over' ? 'boxed' : 'handed-over', actor.role);
    if (!result.ok) throw new ActionError('auth.role-forbidden', { role: actor.role });
  }

  private async boxView(tx: StoreTx, round: RoundRow, code: string): Promise<BoxView> {
    const box = (await tx.lab().boxes(round.id)).find((b) => b.code === code);
    if (!box) throw new ActionError('box.not-found', { box: code });
    return toBoxView(box);
  }
}

function toBoxView(b: BoxRow & { tubes: string[] }): BoxView {
  return {
    code: b.code,
    state: b.state,
    tubes: b.tubes,
    openedAt: b.opened_at,
    closedAt: b.closed_at,
    courier: b.courier_name,
    handedOverAt: b.handed_over_at,
    receiver: b.receiver_name,
    receivedCount: b.received_count,
    receivedAt: b.received_at,
    mismatch: b.received_count !== null && b.received_count !== b.tubes.length,
  };
}

async function readLimits(tx: StoreTx): Promise<TransitLimits> {
  const saved = await tx.setting(LIMITS_SETTING);
  return saved ? (JSON.parse(saved) as TransitLimits) : DEFAULT_TRANSIT_LIMITS;
}
