import { describe, expect, it } from 'vitest';
import { reconcile, tubeStateOf, tubeStep, type TubeFacts } from '../../shared/tubeStates';

const sealed = (code: string, more: Partial<TubeFacts> = {}): TubeFacts => ({
  tubeCode: code,
  sealedAt: '2026-11-22T08:00:00.000Z',
  boxCode: null,
  handedOverAt: null,
  receivedAt: null,
  resultedAt: null,
  ...more,
});
const boxed = (code: string) => sealed(code, { boxCode: 'BOX-1' });
const handed = (code: string) => sealed(code, { boxCode: 'BOX-1', handedOverAt: '2026-11-22T09:00:00.000Z' });
const received = (code: string) =>
  sealed(code, { boxCode: 'BOX-1', handedOverAt: '2026-11-22T09:00:00.000Z', receivedAt: '2026-11-22T09:40:00.000Z' });

describe('a tube on its way to the lab', () => {
  it('goes sealed → boxed → handed over → received → resulted, one step at a time', () => {
    expect(tubeStep('box', 'sealed', 'kiosk')).toEqual({ ok: true, to: 'boxed' });
    expect(tubeStep('hand-over', 'boxed', 'staff')).toEqual({ ok: true, to: 'handed-over' });
    expect(tubeStep('receive', 'handed-over', 'staff')).toEqual({ ok: true, to: 'received' });
    expect(tubeStep('result', 'received', 'staff')).toEqual({ ok: true, to: 'resulted' });
  });

  it('cannot skip a step: a result for a tube the lab never received is refused', () => {
    expect(tubeStep('result', 'handed-over', 'staff')).toEqual({ ok: false, reason: 'state' });
    expect(tubeStep('receive', 'boxed', 'staff')).toEqual({ ok: false, reason: 'state' });
    expect(tubeStep('box', 'boxed', 'staff')).toEqual({ ok: false, reason: 'state' });
  });

  it('only staff sign hand-overs and record results; the display and volunteers touch no tube', () => {
    expect(tubeStep('hand-over', 'boxed', 'kiosk')).toEqual({ ok: false, reason: 'role' });
    expect(tubeStep('result', 'received', 'kiosk')).toEqual({ ok: false, reason: 'role' });
    expect(tubeStep('box', 'sealed', 'volunteer')).toEqual({ ok: false, reason: 'role' });
    expect(tubeStep('box', 'sealed', 'display')).toEqual({ ok: false, reason: 'role' });
  });

  it('has the state its recorded facts say', () => {
    expect(tubeStateOf(sealed('T00001'))).toBe('sealed');
    expect(tubeStateOf(boxed('T00001'))).toBe('boxed');
    expect(tubeStateOf(handed('T00001'))).toBe('handed-over');
    expect(tubeStateOf(received('T00001'))).toBe('received');
    expect(tubeStateOf({ ...received('T00001'), resultedAt: '2026-11-22T14:00:00.000Z' })).toBe('resulted');
  });
});

describe('reconciling the counts of a round', () => {
  it('balances when every sealed tube was boxed, handed over and received', () => {
    const r = reconcile([received('T00001'), received('T00002'), received('T00003')]);
    expect([r.sealed, r.boxed, r.handedOver, r.received, r.resulted]).toEqual([3, 3, 3, 3, 0]);
    expect(r.balanced).toBe(true);
    expect(r.stuck.received).toEqual(['T00001', 'T00002', 'T00003']);
  });

  it('lists the tube left on the table and the box still at the point', () => {
    const r = reconcile([received('T00001'), sealed('T00002'), boxed('T00003'), handed('T00004')]);
    expect([r.sealed, r.boxed, r.handedOver, r.received]).toEqual([4, 3, 2, 1]);
    expect(r.balanced).toBe(false);
    expect(r.stuck).toEqual({ sealed: ['T00002'], boxed: ['T00003'], 'handed-over': ['T00004'], received: ['T00001'] });
  });

  it('an empty round balances', () => {
    expect(reconcile([]).balanced).toBe(true);
  });
});
