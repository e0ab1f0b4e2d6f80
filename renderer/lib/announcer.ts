// Spoken calls for the hall display: each call is a chime, then the words, one call at a time,
// so a new call never cuts off the one being spoken. Without a voice for the language the
// display falls back to a second chime and a flashing banner for a while.

export interface Call {
  text: string;
  /** BCP 47 language of the text, e.g. zh-CN. */
  lang: string;
  /** How the call reads on the screen, when that differs from what is spoken. */
  banner?: string;
}

/** What actually makes the sound; the browser's is below, tests bring their own. */
export interface SpeechBackend {
  /** Plays the call chime and resolves when it has finished. */
  chime(): Promise<void>;
  /** Speaks the text and resolves when done: false at once when no voice speaks this language. */
  speak(text: string, lang: string): Promise<boolean>;
}

export interface AnnouncerOptions {
  /** The call shown flashing while it is not spoken (null: the flashing ends). */
  onFallback?: (call: Call | null) => void;
  /** How long the fallback banner flashes. */
  fallbackMs?: number;
  wait?: (ms: number) => Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class Announcer {
  private readonly pending: Call[] = [];
  private running: Promise<void> | null = null;
  private lastCall: Call | null = null;

  constructor(private readonly backend: SpeechBackend, private readonly opts: AnnouncerOptions = {}) {}

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
      const spoken = await this.backend.speak(call.text, call.lang).catch(() => false);
      if (spoken) continue;
      this.opts.onFallback?.(call);
      await this.backend.chime().catch(() => {});
      await (this.opts.wait ?? sleep)(this.opts.fallbackMs ?? 6000);
      this.opts.onFallback?.(null);
    }
  }
}

// ---- the browser's backend -----------------------------------------------------------------

/** A two-tone "ding-dong" with WebAudio, and speechSynthesis with a voice of the call's language. */
export class BrowserSpeech implements SpeechBackend {
  private audio: AudioContext | null = null;

  /** Browsers play sound only after a tap on the page (a kiosk TV can be started with autoplay allowed). */
  get needsTap(): boolean {
    return this.context()?.state === 'suspended';
  }

  async unlock(): Promise<void> {
    await this.context()?.resume();
  }

  async chime(): Promise<void> {
    const ctx = this.context();
    if (!ctx || ctx.state !== 'running') return;
    const tones: [number, number][] = [[880, 0], [660, 0.45]];
    for (const [freq, start] of tones) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, ctx.currentTime + start);
      gain.gain.exponentialRampToValueAtTime(0.4, ctx.currentTime + start + 0.03);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + start + 0.8);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + start);
      osc.stop(ctx.currentTime + start + 0.85);
    }
    await sleep(1400);
  }

  async speak(text: string, lang: string): Promise<boolean> {
    const synth = typeof speechSynthesis === 'undefined' ? null : speechSynthesis;
    const voice = synth && (await voiceFor(synth, lang));
    if (!synth || !voice) return false;
    return new Promise((resolve) => {
      const u = new SpeechSynthesisUtterance(text);
      u.voice = voice;
      u.lang = voice.lang;
      u.rate = 0.9;
      // Some engines never fire "end": a generous guard keeps the queue moving.
      const guard = setTimeout(() => resolve(true), 4000 + text.length * 400);
      const done = (ok: boolean) => {
        clearTimeout(guard);
        resolve(ok);
      };
      u.onend = () => done(true);
      u.onerror = () => done(false);
      synth.speak(u);
    });
  }

  private context(): AudioContext | null {
    if (!this.audio && typeof AudioContext !== 'undefined') this.audio = new AudioContext();
    return this.audio;
  }
}

/** A voice whose language matches (zh-CN, else any zh); voices load late in some browsers. */
async function voiceFor(synth: SpeechSynthesis, lang: string): Promise<SpeechSynthesisVoice | null> {
  let voices = synth.getVoices();
  if (voices.length === 0) {
    await Promise.race([new Promise((r) => synth.addEventListener('voiceschanged', r, { once: true })), sleep(1500)]);
    voices = synth.getVoices();
  }
  const norm = (l: string) => l.replace('_', '-').toLowerCase();
  const want = norm(lang);
  return voices.find((v) => norm(v.lang) === want) ?? voices.find((v) => norm(v.lang).split('-')[0] === want.split('-')[0]) ?? null;
}
