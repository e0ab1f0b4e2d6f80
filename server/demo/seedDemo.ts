import crypto, { createHash } from 'node:crypto';
import os from 'node:os';
import type { RunningServer } from '../app';
import { formatResidentCode } from '../../shared/residentCode';
import { DEFAULT_POOL_SIZE } from '../../shared/pooling';
import { importRoster } from '../roster/importRoster';
import { rosterFromBytes } from '../roster/readRosterFile';
import { parseTags } from '../store/store';
import { generateCommunity } from './community';
import { rosterCsv } from './rosterCsv';

const SIMULATED_POINT = 'B';

/**
 * `npm run demo`: imports a made-up community through the real import path (once), and runs a
 * simulated second sampling point (B) so the display and tablets move while a newcomer looks on.
 * Point A is left for the person trying the kiosk.
 */
export async function seedDemo(server: RunningServer): Promise<void> {
  const { store, queue, crypto: residentCrypto } = server;
  const staff = { role: 'staff' as const, device: 'demo' };
  if ((await store.read((tx) => tx.residents().buildings())).length === 0) {
    const bytes = Buffer.from(rosterCsv(generateCommunity()));
    const source = await rosterFromBytes(bytes, 'demo.csv');
    const digest = createHash('sha256').update(bytes).digest('base64url');
    const report = await importRoster(server.pipeline, residentCrypto, staff, {
      source,
      scratchDir: os.tmpdir(),
      digest,
      filename: 'demo.csv',
      key: null,
    });
    console.log(`Demo community imported: ${report.added} residents.`);
  }
  await store.write((tx) => tx.rounds().insertPoint(SIMULATED_POINT, SIMULATED_POINT, DEFAULT_POOL_SIZE, new Date().toISOString()));

  const residents = (
    await store.read(async (tx) => {
      const all = [];
      for (const b of await tx.residents().buildings()) all.push(...(await tx.residents().ofBuilding(b.building)));
      return all;
    })
  ).filter((r) => !parseTags(r.tags).includes('sealed'));
  const kiosk = { role: 'kiosk' as const, device: 'demo-kiosk-B' };
  const volunteer = { role: 'volunteer' as const, device: 'demo-tablet-B' };
  const key = () => crypto.randomUUID();
  let next = 0;
  let ticks = 0;

  const tick = async () => {
    ticks++;
    const r = residents[next++ % residents.length];
    await queue.scan(kiosk, { key: key(), point: SIMULATED_POINT, input: formatResidentCode(residentCrypto.codeFor(r.uid)) });
    if (ticks % 12 !== 0) return;
    // Every so often the desk finishes a group and a volunteer calls the next one in.
    const snapshot = await queue.snapshot();
    const atB = snapshot.groups.filter((g) => g.point === SIMULATED_POINT);
    const sampling = atB.find((g) => g.state === 'sampling');
    if (sampling) await queue.groupAction(kiosk, { key: key(), groupId: sampling.id, action: 'seal' });
    const called = atB.find((g) => g.state === 'called');
    if (called)
      await queue.groupAction(kiosk, {
        key: key(),
        groupId: called.id,
        action: 'start',
        tubeCode: `DEMO-${key().slice(0, 8).toUpperCase()}`,
      });
    await queue.callNext(volunteer, { key: key(), point: SIMULATED_POINT });
  };
  const timer = setInterval(() => tick().catch((err) => server.logger.warn({ err }, 'demo simulation step failed')), 2500);
  timer.unref();
}
