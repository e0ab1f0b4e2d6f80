// Plays a phrase (shared/voicePhrases) from the clips that ship in public/voice: each clip fetched and
// decoded once, then all of a phrase's clips scheduled back to back on the Web Audio clock, so there is
// no gap between words and no system voice is needed.
import type { Phrase } from '../../shared/voicePhrases';

/** Heard to the end; cut off or dropped for a later phrase; or not playable (no clips, audio blocked). */
export type PlayResult = 'heard' | 'cut' | 'unavailable';

export class VoicePlayer {
  private ctx: AudioContext | null = null;
  private readonly buffers = new Map<string, Promise<AudioBuffer>>();
  private playing: AudioBufferSourceNode[] = [];
  private seq = 0;

  constructor(private readonly base = '/voice/') {}

  /** The page's audio clock; browsers keep it suspended until a tap (or autoplay is allowed). */
  context(): AudioContext | null {
    if (!this.ctx && typeof AudioContext !== 'undefined') this.ctx = new AudioContext();
    return this.ctx;
  }

  /** Fetches and decodes the phrase's clips ahead of time (rejects when one cannot be had). */
  load(phrase: Phrase): Promise<AudioBuffer[]> {
    const ctx = this.context();
    if (!ctx) return Promise.reject(new Error('no Web Audio'));
    return Promise.all(
      phrase.clips.map((clip) => {
        const url = `${this.base}${phrase.lang}/${clip}.ogg`;
        let buffer = this.buffers.get(url);
        if (!buffer) {
          buffer = fetch(url)
            .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`${url}: HTTP ${r.status}`))))
            .then((data) => ctx.decodeAudioData(data));
          // A failed fetch is tried again next time (the server may have been away).
          buffer.catch(() => this.buffers.delete(url));
          this.buffers.set(url, buffer);
        }
        return buffer;
      }),
    );
  }

  /**
   * Speaks the phrase and resolves once it has been heard. With `cut`, it first cuts off what is playing,
   * and is itself cut off or dropped by the next `play` with `cut`. `lead` is audio made in the page (a
   * name), played right before the clips; when it cannot be had, the clips play alone.
   */
  async play(
    phrase: Phrase,
    opts: { volume?: number; cut?: boolean; lead?: (ctx: AudioContext) => Promise<AudioBuffer | null> } = {},
  ): Promise<PlayResult> {
    const turn = ++this.seq;
    if (opts.cut) this.stop();
    const ctx = this.context();
    if (!ctx) return 'unavailable';
    // After any key or tap on the page the browser lets a suspended context resume; else it stays blocked.
    if (ctx.state === 'suspended') await Promise.race([ctx.resume(), new Promise((r) => setTimeout(r, 100))]);
    if (ctx.state !== 'running') return 'unavailable';
    const lead = opts.lead?.(ctx).catch(() => null) ?? null;
    let clips: AudioBuffer[];
    try {
      clips = await this.load(phrase);
    } catch {
      return 'unavailable';
    }
    const before = await lead;
    if (before) clips.unshift(before);
    // A stale phrase (the next scan came while its clips loaded) is dropped, not played late.
    if (opts.cut && turn !== this.seq) return 'cut';
    const gain = ctx.createGain();
    gain.gain.value = opts.volume ?? 1;
    gain.connect(ctx.destination);
    let at = ctx.currentTime + 0.02;
    const sources = clips.map((buffer) => {
      const source = ctx.createBufferSource();
      source.buffer = buffer;
      source.connect(gain);
      source.start(at);
      at += buffer.duration;
      return source;
    });
    this.playing.push(...sources);
    const last = sources[sources.length - 1];
    if (!last) return 'heard';
    return new Promise((resolve) => {
      // "ended" also fires on stop(); the guard keeps a call queue moving should it never fire.
      const guard = setTimeout(() => done('heard'), (at - ctx.currentTime) * 1000 + 1000);
      const done = (heard: PlayResult) => {
        clearTimeout(guard);
        this.playing = this.playing.filter((s) => !sources.includes(s));
        gain.disconnect();
        resolve(heard);
      };
      last.onended = () => done(!opts.cut || turn === this.seq ? 'heard' : 'cut');
    });
  }

  /** Cuts off whatever is playing (the desk voice, when the next scan arrives). */
  stop(): void {
    for (const source of this.playing) source.stop();
    this.playing = [];
  }
}
