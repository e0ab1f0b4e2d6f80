// The staff setting of the crowding thresholds over HTTP (apart from the rule, so pages that only
// read crowding do not carry the validation library).
import { z } from 'zod';
import { key } from './ids';

/** POST body of the staff setting; a key makes a retried save harmless. */
export const CrowdingRequest = z
  .strictObject({
    key,
    busyMinutes: z.number().int().min(1).max(600),
    jammedMinutes: z.number().int().min(2).max(600),
  })
  .refine((r) => r.busyMinutes < r.jammedMinutes, { message: 'busy must start below jammed', path: ['jammedMinutes'] });
export type CrowdingRequest = z.infer<typeof CrowdingRequest>;

/** Staff change the thresholds here (staff only); everyone else gets them in the snapshot. */
export const CROWDING_PATH = '/api/points/crowding';
