// Spoken calls for the hall display: each call is a chime, then the words (as often as the operator
// set), one call at a time, so a new call never cuts off the one being spoken. When nothing can speak
// (clips unreachable and no system voice) the display falls back to a second chime and a flashing banner.
import type { Phrase } from '../../shared/voicePhrases';
import { speakWith, voiceFor } from './systemVoice';
import type { VoicePlayer } from './voicePlayer';

export interface Call {
  phrase: Phrase;
  /** How the call reads on the screen. */
  banner: string;
}

/** What actually makes the sound; the browser's is below, tests bring their own. */
export interface SpeechBackend {
  /** Plays the call chime and resolves when it has finished. */
  chime(): Promise<void>;
  /** Speaks the phrase and resolves when done: false when nothing could speak it. */
  speak(phrase: Phrase): Promise<boolean>;
}

export interface AnnouncerOptions {
  /** How many times each call is said after its chime (read at each call: the operator may change it). */
  repeat?: () => number;
  /** The call shown flashing while it is not spoken (null: the flashing ends). */
  onFallback?: (call: Call | null) => void;
  /** How long the fallback banner flashes. */
  fallbackMs?: number;
  wait?: (ms: number) => Promise<void>;
}

/** The pause between two readings of the same call. */
const REPEAT_PAUSE_MS = 700;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Announcer {
  private readonly pending: Call[] = [];
  private running: Promise<void> | null = null;
  private lastCall: Call | null = null;

  constructor(
    private readonly backend: SpeechBackend,
    private readonly opts: AnnouncerOptions = {},
  ) {}

  get last(): Call | null {
    return this.lastCall;
  }

  /** Queues a call; it is announced after every call queued before it. */
  announce(call: Call): void {
    this.lastCall = call;
    this.pending.push(call);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Says the last call again (a resident asks "which group was that?"). */
  repeatLast(): boolean {
    if (!this.lastCall) return false;
    this.announce(this.lastCall);
    return true;
  }

  /** Resolves once every queued call has been announced. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (let call = this.pending.shift(); call; call = this.pending.shift()) {
      await this.backend.chime().catch(() => {});
      let spoken = false;
      for (let n = Math.max(1, this.opts.repeat?.() ?? 1); n > 0; n--) {
        if (!(await this.backend.speak(call.phrase).catch(() => false))) break;
        spoken = true;
        if (n > 1) await (this.opts.wait ?? sleep)(REPEAT_PAUSE_MS);
      }
      if (spoken) continue;
      this.opts.onFallback?.(call);
      await this.backend.chime().catch(() => {});
      await (this.opts.wait ?? sleep)(this.opts.fallbackMs ?? 6000);
      this.opts.onFallback?.(null);
    }
  }
}

// ---- the browser's backend -----------------------------------------------------------------

export interface BrowserSpeechSettings {
  /** 0..1, for the chime and the voice. */
  volume: number;
  /** Prefer a system voice of the call's language when the browser has one (clips otherwise). */
  systemVoice: boolean;
}

/** A two-tone "ding-dong" with Web Audio, then the phrase from the shipped clips (or a system voice). */
export class BrowserSpeech implements SpeechBackend {
  constructor(
    private readonly player: VoicePlayer,
    private readonly settings: () => BrowserSpeechSettings,
  ) {}

  /** Browsers play sound only after a tap on the page (a kiosk TV can be started with autoplay allowed). */
  get needsTap(): boolean {
    return this.player.context()?.state === 'suspended';
  }

  async unlock(): Promise<void> {
    await this.player.context()?.resume();
  }

  async chime(): Promise<void> {
    const ctx = this.player.context();
    if (!ctx || ctx.state !== 'running') return;
    const peak = 0.4 * this.settings().volume + 0.0002;
    const tones: [number, number][] = [
      [880, 0],
      [660, 0.45],
    ];
    for (const [freq, start] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(peak, ctx.currentTime + start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + 0.8);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + start);
      osc.stop(ctx.currentTime + start + 0.85);
    }
    await sleep(1400);
  }

  async speak(phrase: Phrase): Promise<boolean> {
    const { volume, systemVoice } = this.settings();
    if (systemVoice && (await systemSpeak(phrase, volume))) return true;
    if ((await this.player.play(phrase, { volume })) === 'heard') return true;
    // No clips (the server was unreachable when they were first needed): a system voice, if any.
    return !systemVoice && systemSpeak(phrase, volume);
  }
}

/** Speaks with the browser's own voice of the phrase's language; false at once when it has none. */
async function systemSpeak(phrase: Phrase, volume: number): Promise<boolean> {
  const voice = await voiceFor(phrase.lang);
  return voice ? speakWith(voice, phrase.text, volume) : false;
}
