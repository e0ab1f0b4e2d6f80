// Renders the voice clips the hall display and the kiosk play (renderer/public/voice/<lang>/<id>.ogg)
// from the phrase list in shared/voicePhrases.ts, with espeak-ng, sox and opusenc:
//   apt-get install -y espeak-ng sox opus-tools && npm run voice:render
// The clips are committed, so neither CI nor a site needs these tools. Re-render after changing CLIPS.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLIPS, VOICE_LANGS, type VoiceLang } from '../../shared/voicePhrases';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../renderer/public/voice');

// Debian's espeak-ng Mandarin dictionary lacks many characters, so Chinese words are rendered from
// tone-numbered pinyin; letters keep the English letter names (A 读作 "ei"), as people say them.
const PINYIN: Record<string, string> = {
  0: 'ling2',
  1: 'yi1',
  2: 'er4',
  3: 'san1',
  4: 'si4',
  5: 'wu3',
  6: 'liu4',
  7: 'qi1',
  8: 'ba1',
  9: 'jiu3',
  ten: 'shi2',
  please: 'qing3',
  group: 'zu3',
  to: 'dao4',
  desk: 'hao4 tai2',
  sampling: 'cai3 yang4',
  point: 'dian3',
  enter: 'jin4 ru4',
  'change-tube': 'huan4 guan3',
  'already-sampled': 'yi3 cai3 guo4',
  'invalid-code': 'wu2 xiao4 ma3',
  'single-tube': 'dan1 guan3',
  'home-visit': 'shang4 men2',
  'not-on-roster': 'wei4 deng1 ji4',
};

/** The espeak-ng voice and text for one clip. */
function source(lang: VoiceLang, id: string, words: string): { voice: string; text: string } {
  if (lang === 'en') return { voice: 'en-us', text: /^[A-Z]$/.test(id) ? `${id}.` : words };
  if (/^[A-Z]$/.test(id)) return { voice: 'cmn', text: id };
  const pinyin = PINYIN[id];
  if (!pinyin) throw new Error(`no pinyin for the Chinese clip "${id}" (${words}): add it to PINYIN`);
  return { voice: 'cmn-latn-pinyin', text: pinyin };
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8' });
}

function render(): void {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'natq-voice-'));
  const manifest: Record<string, Record<string, { file: string; words: string; bytes: number; ms: number }>> = {};
  let total = 0;
  for (const lang of VOICE_LANGS) {
    fs.rmSync(path.join(OUT, lang), { recursive: true, force: true });
    fs.mkdirSync(path.join(OUT, lang), { recursive: true });
    manifest[lang] = {};
    for (const [id, words] of Object.entries(CLIPS[lang])) {
      const { voice, text } = source(lang, id, words);
      const raw = path.join(tmp, 'raw.wav');
      const trimmed = path.join(tmp, 'trimmed.wav');
      const file = `${lang}/${id}.ogg`;
      run('espeak-ng', ['-v', voice, '-s', '165', '-w', raw, text]);
      // Silence trimmed from both ends so clips play back to back; 40 ms left as the gap between words.
      run('sox', [
        raw,
        '-r',
        '24000',
        trimmed,
        'norm',
        '-1',
        'silence',
        '1',
        '0.02',
        '0.5%',
        'reverse',
        'silence',
        '1',
        '0.02',
        '0.5%',
        'reverse',
        'pad',
        '0',
        '0.04',
      ]);
      const ms = Math.round(Number(run('soxi', ['-D', trimmed])) * 1000);
      run('opusenc', ['--quiet', '--bitrate', '16', '--downmix-mono', '--discard-comments', trimmed, path.join(OUT, file)]);
      const bytes = fs.statSync(path.join(OUT, file)).size;
      total += bytes;
      manifest[lang][id] = { file, words, bytes, ms };
    }
  }
  const engine = run('espeak-ng', ['--version'])
    .replace(/\s+Data at:.*/s, '')
    .trim();
  fs.writeFileSync(path.join(OUT, 'manifest.json'), `${JSON.stringify({ engine, totalBytes: total, clips: manifest }, null, 1)}\n`);
  fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`${Object.values(manifest).reduce((n, m) => n + Object.keys(m).length, 0)} clips, ${(total / 1024).toFixed(0)} kB in ${OUT}`);
}

render();
