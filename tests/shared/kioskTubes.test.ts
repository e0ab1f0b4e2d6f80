import { describe, expect, it } from 'vitest';
import { OFFLINE_GRACE_MS, takenOffline } from '../../shared/offlineScans';
import { tubeCodeFrom } from '../../shared/tubeLabels';
import { householdSlot } from '../../shared/tubeModes';

describe('household tubes', () => {
  it('starts the first tube of a round', () => {
    expect(householdSlot(null, '9-1-501')).toEqual({ join: false, closeOpen: false });
  });
  it('adds a member of the open household, and marks the tube full at its pool size', () => {
    expect(householdSlot({ household: '9-1-501', size: 2, poolSize: 10 }, '9-1-501')).toEqual({ join: true, position: 3, full: false });
    expect(householdSlot({ household: '9-1-501', size: 9, poolSize: 10 }, '9-1-501')).toEqual({ join: true, position: 10, full: true });
  });
  it('closes the open tube when the next household, or a full one, comes', () => {
    expect(householdSlot({ household: '9-1-501', size: 3, poolSize: 10 }, '9-1-502')).toEqual({ join: false, closeOpen: true });
    expect(householdSlot({ household: '9-1-501', size: 10, poolSize: 10 }, '9-1-501')).toEqual({ join: false, closeOpen: true });
  });
  it('never puts two people of unknown household in one tube', () => {
    expect(householdSlot({ household: '', size: 1, poolSize: 10 }, '')).toEqual({ join: false, closeOpen: true });
  });
});

describe('scans taken offline', () => {
  const now = new Date('2026-11-22T08:00:00Z');
  it('counts a flagged scan, or one that arrives late, as offline', () => {
    expect(takenOffline({ offline: true }, now)).toBe(true);
    expect(takenOffline({ scannedAt: new Date(now.getTime() - OFFLINE_GRACE_MS - 1).toISOString() }, now)).toBe(true);
  });
  it('counts a scan sent at once as online', () => {
    expect(takenOffline({}, now)).toBe(false);
    expect(takenOffline({ scannedAt: new Date(now.getTime() - 2000).toISOString() }, now)).toBe(false);
  });
});

describe('tube codes', () => {
  it('are NQT- and ten unambiguous characters', () => {
    expect(tubeCodeFrom(Uint8Array.from([0, 1, 10, 18, 21, 24, 27, 31, 32, 255]))).toBe('NQT-01AJNRVZ0Z');
  });
  it('need ten random bytes', () => {
    expect(() => tubeCodeFrom(new Uint8Array(4))).toThrow(/10 random bytes/);
  });
});
