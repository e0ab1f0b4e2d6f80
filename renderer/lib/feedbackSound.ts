// A distinct sound per outcome, so a sampler looking at the person hears what happened:
// one high beep (added), two mid beeps (look again), a long low buzz (stop). Tones, no audio files.
import type { Tone } from './outcomeTone';

interface Beep {
  hz: number;
  wave: OscillatorType;
  ms: number;
}

const GAP_MS = 90;

export const SOUNDS: Record<Exclude<Tone, 'neutral'>, Beep[]> = {
  ok: [{ hz: 1320, wave: 'sine', ms: 140 }],
  warn: [
    { hz: 660, wave: 'triangle', ms: 160 },
    { hz: 660, wave: 'triangle', ms: 160 },
  ],
  bad: [{ hz: 196, wave: 'square', ms: 600 }],
};

let context: AudioContext | null = null;

export function playTone(tone: Tone): void {
  if (tone === 'neutral' || typeof AudioContext === 'undefined') return;
  context ??= new AudioContext();
  // Browsers start audio suspended until a user gesture; the PIN login is one.
  if (context.state === 'suspended') void context.resume();
  let at = context.currentTime + 0.01;
  for (const beep of SOUNDS[tone]) {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = beep.wave;
    osc.frequency.value = beep.hz;
    // Short ramps: no clicks at the edges.
    const end = at + beep.ms / 1000;
    gain.gain.setValueAtTime(0, at);
    gain.gain.linearRampToValueAtTime(0.4, at + 0.01);
    gain.gain.setValueAtTime(0.4, end - 0.02);
    gain.gain.linearRampToValueAtTime(0, end);
    osc.connect(gain).connect(context.destination);
    osc.start(at);
    osc.stop(end);
    at = end + GAP_MS / 1000;
  }
}
