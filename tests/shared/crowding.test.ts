import { describe, expect, it } from 'vitest';
import { crowdingOf, DEFAULT_CROWDING } from '../../shared/crowding';
import { CrowdingRequest } from '../../shared/crowdingApi';

describe('how crowded a point is', () => {
  it('uses the published words by default: clear under 25 min, busy 25–50, jammed from 50', () => {
    expect(crowdingOf(0)).toBe('clear');
    expect(crowdingOf(24)).toBe('clear');
    expect(crowdingOf(25)).toBe('busy');
    expect(crowdingOf(49)).toBe('busy');
    expect(crowdingOf(50)).toBe('jammed');
    expect(crowdingOf(300)).toBe('jammed');
  });

  it('says nothing while the wait cannot be estimated', () => {
    expect(crowdingOf(null)).toBeNull();
  });

  it('follows thresholds staff set', () => {
    const t = { busyMinutes: 10, jammedMinutes: 20 };
    expect(crowdingOf(9, t)).toBe('clear');
    expect(crowdingOf(10, t)).toBe('busy');
    expect(crowdingOf(20, t)).toBe('jammed');
    expect(DEFAULT_CROWDING).toEqual({ busyMinutes: 25, jammedMinutes: 50 });
  });

  it('refuses thresholds where busy does not start below jammed', () => {
    const key = 'crowding-key-1';
    expect(CrowdingRequest.safeParse({ key, busyMinutes: 30, jammedMinutes: 30 }).success).toBe(false);
    expect(CrowdingRequest.safeParse({ key, busyMinutes: 0, jammedMinutes: 30 }).success).toBe(false);
    expect(CrowdingRequest.safeParse({ key, busyMinutes: 20, jammedMinutes: 40 }).success).toBe(true);
  });
});
