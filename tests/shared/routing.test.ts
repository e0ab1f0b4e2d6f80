import { describe, expect, it } from 'vitest';
import { routeFor } from '../../shared/routing';

describe('where a scanned resident goes', () => {
  it('an ordinary resident is pooled with nine others', () => {
    expect(routeFor([])).toBe('pooled');
  });

  it('a quarantined resident is routed to a single tube', () => {
    expect(routeFor(['quarantine'])).toBe('single-tube');
  });

  it('a resident of a sealed building is sampled at home, never at the point', () => {
    expect(routeFor(['sealed'])).toBe('home');
  });

  it('sealed wins over quarantine: a quarantined person in a sealed building is sampled at home', () => {
    expect(routeFor(['quarantine', 'sealed'])).toBe('home');
    expect(routeFor(['sealed', 'quarantine'])).toBe('home');
  });

  it('priority and care tags change the order, not the tube: they are still pooled', () => {
    for (const tag of ['elderly', 'immobile', 'bedridden', 'infant', 'pregnant', 'disabled', 'walk-in'] as const) {
      expect(routeFor([tag])).toBe('pooled');
    }
  });

  it('an elderly quarantined resident still gets a single tube', () => {
    expect(routeFor(['elderly', 'quarantine'])).toBe('single-tube');
  });
});

describe('where a resident on the retest list goes (lab)', () => {
  it('a member of a positive pool gives the retest sample in a single tube', () => {
    expect(routeFor([], 'pool-positive')).toBe('single-tube');
    expect(routeFor(['elderly'], 'invalid')).toBe('single-tube');
  });

  it('a sealed-building resident is still sampled at home', () => {
    expect(routeFor(['sealed'], 'pool-positive')).toBe('home');
  });
});
