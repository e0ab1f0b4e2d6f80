// The pure parts of kiosk input: scanner or typist by rhythm, characters through a Chinese IME,
// a code held in front of the camera read once, and the colour (and sound) of each answer.
import { describe, expect, it } from 'vitest';
import type { ScanOutcome } from '../../shared/protocol';
import { SOUNDS } from '../../renderer/lib/feedbackSound';
import { toneOf } from '../../renderer/lib/outcomeTone';
import { classifyBurst } from '../../renderer/lib/scanner/burst';
import { dropRepeats, REPEAT_QUIET_MS } from '../../renderer/lib/scanner/scanner';
import { asciiOnly, keyChar } from '../../renderer/lib/scanner/wedgeKeys';

/** Keydown times of n keys, gap ms apart (with optional per-key overrides). */
const times = (n: number, gap: number, slow: Record<number, number> = {}) => {
  const out = [1000];
  for (let i = 1; i < n; i++) out.push(out[i - 1] + (slow[i] ?? gap));
  return out;
};

describe('scanner or typed', () => {
  it('takes a burst of machine-speed keys for a scanner', () => {
    expect(classifyBurst(times(31, 4))).toBe('scanner');
    expect(classifyBurst(times(18, 9))).toBe('scanner');
  });

  it('forgives a scanner a few stalled keys on a busy computer', () => {
    expect(classifyBurst(times(31, 5, { 12: 140 }))).toBe('scanner');
    expect(classifyBurst(times(31, 9, { 1: 40, 6: 92, 7: 31, 8: 48, 20: 41, 22: 43, 23: 40 }))).toBe('scanner');
  });

  it('takes a person typing an ID number for typed, even a fast typist', () => {
    expect(classifyBurst(times(18, 120))).toBe('typed');
    expect(classifyBurst(times(18, 45, { 3: 20, 7: 25, 11: 18 }))).toBe('typed');
  });

  it('takes a few fast keys for typed: too short to be a code', () => {
    expect(classifyBurst(times(4, 3))).toBe('typed');
    expect(classifyBurst([])).toBe('typed');
  });
});

describe('characters from keys', () => {
  it('uses the character the layout gives', () => {
    expect(keyChar({ key: 'N', code: 'KeyN', shiftKey: true })).toBe('N');
    expect(keyChar({ key: ':', code: 'Semicolon', shiftKey: true })).toBe(':');
    expect(keyChar({ key: '7', code: 'Numpad7', shiftKey: false })).toBe('7');
  });

  it('reads the physical key while a Chinese IME swallows the character', () => {
    expect(keyChar({ key: 'Process', code: 'KeyQ', shiftKey: true })).toBe('Q');
    expect(keyChar({ key: 'Process', code: 'KeyQ', shiftKey: false })).toBe('q');
    expect(keyChar({ key: 'Process', code: 'KeyQ', shiftKey: false, capsLock: true })).toBe('Q');
    expect(keyChar({ key: 'Process', code: 'Digit1', shiftKey: false })).toBe('1');
    expect(keyChar({ key: 'Process', code: 'Semicolon', shiftKey: true })).toBe(':');
    expect(keyChar({ key: 'Unidentified', code: 'Minus', shiftKey: false })).toBe('-');
  });

  it('folds full-width characters and ignores keys that type nothing', () => {
    expect(keyChar({ key: '：', code: 'Semicolon', shiftKey: true })).toBe(':');
    expect(keyChar({ key: 'Ｘ', code: 'KeyX', shiftKey: true })).toBe('X');
    expect(keyChar({ key: 'Shift', code: 'ShiftLeft', shiftKey: true })).toBeNull();
    expect(keyChar({ key: 'ArrowLeft', code: 'ArrowLeft', shiftKey: false })).toBeNull();
    expect(keyChar({ key: '。', code: 'Period', shiftKey: false })).toBe('.');
  });

  it('keeps only code characters from pasted text', () => {
    expect(asciiOnly('ＮＱ１：AB 中文\n')).toBe('NQ1:AB ');
  });
});

describe('camera repeats', () => {
  it('passes a code on once while it stays in view, and again after it was gone a while', () => {
    let now = 0;
    const seen: string[] = [];
    const onCode = dropRepeats(
      (c) => seen.push(c),
      () => now,
    );
    for (let i = 0; i < 20; i++, now += 100) onCode('A');
    onCode('B');
    now += REPEAT_QUIET_MS + 1;
    onCode('A');
    expect(seen).toEqual(['A', 'B', 'A']);
  });
});

describe('colour and sound of an answer', () => {
  const resident = { name: '张三丰', household: '3-2-501', tags: [] };
  const done = (outcome: ScanOutcome) => ({ status: 'done' as const, outcome });

  it('is green for added, amber for routed or not on the roster, red for duplicates, rejections and failures', () => {
    expect(
      toneOf(done({ kind: 'added', resident, group: { id: 1, label: 'A-001', position: 1, poolSize: 10 }, full: false, memberId: 1 })),
    ).toBe('ok');
    expect(toneOf(done({ kind: 'routed', route: 'home', resident }))).toBe('warn');
    // Pre-registered on /me, not on the roster: amber, the sampler checks the ID card.
    expect(
      toneOf(
        done({
          kind: 'added',
          resident: { ...resident, unverified: true },
          group: { id: 1, label: 'A-001', position: 1, poolSize: 10 },
          full: false,
          memberId: 1,
        }),
      ),
    ).toBe('warn');
    expect(toneOf(done({ kind: 'not-on-roster', idType: 'resident-id', maskedIdNumber: '1101**********1234' }))).toBe('warn');
    expect(toneOf(done({ kind: 'duplicate', resident, previous: { point: 'A', groupLabel: 'A-001', at: '' } }))).toBe('bad');
    expect(toneOf(done({ kind: 'rejected', reason: 'forged' }))).toBe('bad');
    expect(toneOf({ status: 'failed', error: new Error('offline') })).toBe('bad');
    expect(toneOf({ status: 'pending' })).toBe('neutral');
  });

  it('sounds different for each colour', () => {
    const signature = (tone: keyof typeof SOUNDS) => SOUNDS[tone].map((b) => `${b.hz}/${b.wave}/${b.ms}`).join(',');
    expect(new Set([signature('ok'), signature('warn'), signature('bad')]).size).toBe(3);
    expect(SOUNDS.ok[0].hz).toBeGreaterThan(SOUNDS.bad[0].hz);
  });
});
