import { describe, expect, it } from 'vitest';
import type { GroupView } from '../../shared/protocol';
import { callKey } from '../../renderer/lib/hall';
import { pointWait } from '../../shared/waitEstimate';

const now = new Date('2026-04-01T10:00:00Z');
const group = (id: number, point: string, sampledAt: string | null, calledAt: string | null = null): GroupView => ({
  id,
  label: `${point}-00${id}`,
  point,
  kind: 'pooled',
  poolSize: 10,
  state: sampledAt ? 'sampled' : 'waiting',
  priority: false,
  tubeCode: null,
  members: [],
  createdAt: now.toISOString(),
  calledAt,
  sampledAt,
});
const ago = (m: number) => new Date(now.getTime() - m * 60_000).toISOString();

describe('hall wording and waits on the pages', () => {
  it("estimates a point's wait from its own sealed groups only", () => {
    const groups = [group(1, 'A', ago(8)), group(2, 'A', ago(4)), group(3, 'A', ago(0)), group(4, 'B', ago(1)), group(5, 'A', null)];
    expect(pointWait(groups, 'A', 3, now)).toBe(12);
    expect(pointWait(groups, 'B', 3, now)).toBeNull();
  });

  it('treats a group called again after a recall as a new call', () => {
    expect(callKey(group(1, 'A', null, ago(5)))).not.toBe(callKey(group(1, 'A', null, ago(1))));
  });
});
