import { describe, expect, it } from 'vitest';
import { floorOf, isStaffAdded, VISIT_REASONS, visitReasonFor } from '../../shared/homeVisits';

describe('who is visited at home', () => {
  it('visits bedridden, immobile and infant residents and sealed buildings; a sealed building comes first', () => {
    expect(visitReasonFor(['elderly', 'bedridden'])).toBe('bedridden');
    expect(visitReasonFor(['immobile'])).toBe('immobile');
    expect(visitReasonFor(['infant'])).toBe('infant');
    expect(visitReasonFor(['infant', 'sealed'])).toBe('sealed');
  });

  it('does not visit people who can come to a point', () => {
    expect(visitReasonFor([])).toBeNull();
    expect(visitReasonFor(['elderly', 'pregnant', 'quarantine', 'walk-in'])).toBeNull();
  });
});

describe('the floor of a room', () => {
  it('reads 501, 1203 and 12-03', () => {
    expect(floorOf('501')).toBe('5');
    expect(floorOf('1203')).toBe('12');
    expect(floorOf('12-03')).toBe('12');
    expect(floorOf('101')).toBe('1');
  });

  it('has no floor for a bungalow number or a name', () => {
    expect(floorOf('8')).toBe('');
    expect(floorOf('东厢房')).toBe('');
    expect(floorOf('')).toBe('');
  });

  it('lets staff take off only the visits they added (a family that asked, a retest), never a tagged one', () => {
    expect(VISIT_REASONS.filter(isStaffAdded)).toEqual(['staff', 'retest']);
  });
});
