// Says a resident's masked name at the kiosk, which no shipped clip can: espeak-ng in a worker
// (nameSynth.worker.ts), started only when the desk voice is on, so no other page ever loads it.
// The name comes back as a Web Audio buffer, played just before the place's clips.

export interface NameRequest {
  id: number;
  /** The characters to say (张丰); empty only starts the engine. */
  name: string;
}
export type NameReply = { id: number; samples: Float32Array<ArrayBuffer>; sampleRate: number } | { id: number; error: string };

/** A name still unsaid after this long is left out (the engine failed to start or hangs); the place is said alone. */
const GIVE_UP_MS = 5000;

export class NameVoice {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, (reply: NameReply | null) => void>();
  private next = 0;

  /** Loads the engine and its data ahead of the first scan. */
  warm(): void {
    void this.ask('');
  }

  /** The name as audio for this context; null when it cannot be had. */
  async audio(ctx: BaseAudioContext, name: string): Promise<AudioBuffer | null> {
    const reply = await this.ask(name);
    if (!reply || 'error' in reply || reply.samples.length === 0) return null;
    const buffer = ctx.createBuffer(1, reply.samples.length, reply.sampleRate);
    buffer.copyToChannel(reply.samples, 0);
    return buffer;
  }

  private ask(name: string): Promise<NameReply | null> {
    const worker = this.start();
    const id = ++this.next;
    return new Promise((resolve) => {
      const guard = setTimeout(() => this.answer(id, null), GIVE_UP_MS);
      this.waiting.set(id, (reply) => {
        clearTimeout(guard);
        resolve(reply);
      });
      worker.postMessage({ id, name } satisfies NameRequest);
    });
  }

  private answer(id: number, reply: NameReply | null): void {
    this.waiting.get(id)?.(reply);
    this.waiting.delete(id);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./nameSynth.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }: MessageEvent<NameReply>) => this.answer(data.id, data);
    // The worker's script could not be loaded (server away): every waiting name is given up, and the next starts again.
    worker.onerror = () => {
      for (const id of [...this.waiting.keys()]) this.answer(id, null);
      worker.terminate();
      this.worker = null;
    };
    return (this.worker = worker);
  }
}
