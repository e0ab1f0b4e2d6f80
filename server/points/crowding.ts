// The crowding thresholds of the /points page: a setting staff change, carried to every client in
// the snapshot and in the change that replaced them.
import { DEFAULT_CROWDING, type CrowdingThresholds } from '../../shared/crowding';
import type { CrowdingRequest } from '../../shared/crowdingApi';
import type { Actor } from '../../shared/roles';
import type { StoreTx } from '../store/store';
import type { WritePipeline } from '../write/writePipeline';

const SETTING = 'points.crowding';

export async function readCrowding(tx: StoreTx): Promise<CrowdingThresholds> {
  const saved = await tx.setting(SETTING);
  return saved ? (JSON.parse(saved) as CrowdingThresholds) : DEFAULT_CROWDING;
}

export async function setCrowding(pipeline: WritePipeline, actor: Actor, req: CrowdingRequest): Promise<CrowdingThresholds> {
  const at = pipeline.now().toISOString();
  const crowding: CrowdingThresholds = { busyMinutes: req.busyMinutes, jammedMinutes: req.jammedMinutes };
  return pipeline.run('points:crowding', req.key, req, async (tx) => {
    await tx.putSetting(SETTING, JSON.stringify(crowding), true);
    await tx.audit(
      {
        ...actor,
        action: 'points:crowding',
        subject: 'settings',
        detail: `busy ${crowding.busyMinutes} min, jammed ${crowding.jammedMinutes} min`,
      },
      at,
    );
    return { reply: crowding, announce: { crowding } };
  });
}
