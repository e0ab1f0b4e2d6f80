/// <reference lib="webworker" />
// The kiosk's voice for names: espeak-ng (GPL-3.0, compiled to WebAssembly) reading the name's pinyin,
// in a worker so that synthesizing never holds up the page a scanner is typing into. Loaded only by a
// kiosk with its desk voice on; its files are cached by the service worker like any other /assets/ file.
import createEspeak, { type EspeakEngine } from '@echogarden/espeak-ng-emscripten';
import { pinyin } from 'pinyin-pro';
import dataFiles from 'virtual:espeak-mandarin';
import type { NameReply, NameRequest } from './nameVoice';

declare const self: DedicatedWorkerGlobalScope;

const DATA_DIR = '/usr/share/espeak-ng-data/';
/** Words a minute: a little quicker than espeak's 175, so a name and a place stay within a second. */
const RATE = 185;
/** Below this share of the loudest sample is silence, trimmed from both ends; the pad is the gap before the clips. */
const SILENCE = 0.02;
const PAD_S = 0.04;

let engine: Promise<EspeakEngine> | null = null;

async function start(): Promise<EspeakEngine> {
  const files = await Promise.all(
    Object.entries(dataFiles).map(async ([name, url]) => {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return [name, new Uint8Array(await r.arrayBuffer())] as const;
    }),
  );
  // The package's data file holds every language (24 MB): it is given an empty one, and Mandarin's files are written instead.
  const m = await createEspeak({ getPreloadedPackage: () => new ArrayBuffer(0) });
  for (const [name, bytes] of files) m.FS.writeFile(DATA_DIR + name, bytes);
  const e = new m.eSpeakNGWorker();
  e.set_voice('cmn-latn-pinyin');
  e.set_rate(RATE);
  return e;
}

/**
 * Pinyin with tone numbers, read as a name (曾 zeng1 as a surname, not ceng2); a character pinyin-pro
 * does not know is left to espeak-ng's own Mandarin dictionary.
 */
function asPinyin(name: string): string {
  return pinyin(name, { surname: 'head', toneType: 'num', type: 'array', v: true })
    .map((syllable) => syllable.replace(/0$/, '5'))
    .join(' ');
}

function synthesize(e: EspeakEngine, name: string): Float32Array<ArrayBuffer> {
  const chunks: Int16Array[] = [];
  e.synthesize(asPinyin(name), (samples) => {
    chunks.push(samples);
    return false;
  });
  const all = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  chunks.reduce((at, c) => (all.set(c, at), at + c.length), 0);
  const peak = all.reduce((p, s) => Math.max(p, Math.abs(s)), 1);
  const loud = (s: number) => Math.abs(s) > peak * SILENCE;
  const first = all.findIndex(loud);
  const last = all.findLastIndex(loud);
  const pad = Math.round(PAD_S * e.get_samplerate());
  const out = new Float32Array(first < 0 ? 0 : last - first + 1 + pad);
  for (let i = first; i <= last && first >= 0; i++) out[i - first] = all[i] / 32768;
  return out;
}

self.onmessage = async ({ data }: MessageEvent<NameRequest>) => {
  let reply: NameReply;
  try {
    engine ??= start();
    const e = await engine;
    // An empty name only starts the engine, ahead of the first scan.
    reply = { id: data.id, samples: data.name ? synthesize(e, data.name) : new Float32Array(0), sampleRate: e.get_samplerate() };
  } catch (err) {
    // Tried again with the next name (the server may have been away when the files were fetched).
    engine = null;
    reply = { id: data.id, error: String(err) };
  }
  self.postMessage(reply, 'samples' in reply ? [reply.samples.buffer] : []);
};
