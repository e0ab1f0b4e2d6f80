// The hall's spoken calls: the queue is real, the loudspeaker is a recording fake.
import { describe, expect, it } from 'vitest';
import { Announcer, type Call, type SpeechBackend } from '../../renderer/lib/announcer';
import type { Phrase, VoiceLang } from '../../shared/voicePhrases';

/** Records what would be heard; each sound lasts until the test lets it finish. */
class FakeSpeech implements SpeechBackend {
  heard: string[] = [];
  private finish: (() => void)[] = [];
  constructor(private readonly voices: VoiceLang[] = ['zh']) {}
  chime() {
    this.heard.push('chime');
    return Promise.resolve();
  }
  speak({ text, lang }: Phrase) {
    if (!this.voices.includes(lang)) return Promise.resolve(false);
    this.heard.push(`start ${text}`);
    return new Promise<boolean>((resolve) =>
      this.finish.push(() => {
        this.heard.push(`end ${text}`);
        resolve(true);
      }),
    );
  }
  /** The voice finishes the sentence it is speaking. */
  async endSpeech() {
    await tick();
    this.finish.shift()?.();
    await tick();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));
const call = (text: string, lang: VoiceLang = 'zh'): Call => ({ phrase: { text, lang, clips: [] }, banner: `banner ${text}` });

describe('the announcer', () => {
  it('plays the chime, then speaks, and lets no call cut off the one being spoken', async () => {
    const speech = new FakeSpeech();
    const announcer = new Announcer(speech);
    announcer.announce(call('请A-001组到1号台'));
    await tick();
    announcer.announce(call('请A-002组到2号台'));
    await tick();
    // The second call waits: the first sentence is still being spoken.
    expect(speech.heard).toEqual(['chime', 'start 请A-001组到1号台']);
    await speech.endSpeech();
    await speech.endSpeech();
    await announcer.idle();
    expect(speech.heard).toEqual([
      'chime',
      'start 请A-001组到1号台',
      'end 请A-001组到1号台',
      'chime',
      'start 请A-002组到2号台',
      'end 请A-002组到2号台',
    ]);
  });

  it('repeats the last call on request, after anything still queued', async () => {
    const speech = new FakeSpeech();
    const announcer = new Announcer(speech);
    expect(announcer.repeatLast()).toBe(false);
    announcer.announce(call('请A-003组'));
    expect(announcer.repeatLast()).toBe(true);
    await speech.endSpeech();
    await speech.endSpeech();
    await announcer.idle();
    expect(speech.heard.filter((h) => h.startsWith('start'))).toEqual(['start 请A-003组', 'start 请A-003组']);
  });

  it('says each call as often as the operator set, after one chime, with a pause between', async () => {
    const speech = new FakeSpeech();
    let repeat = 2;
    const waits: number[] = [];
    const announcer = new Announcer(speech, { repeat: () => repeat, wait: async (ms) => void waits.push(ms) });
    announcer.announce(call('请A-007组'));
    await speech.endSpeech();
    await speech.endSpeech();
    await announcer.idle();
    repeat = 1;
    announcer.announce(call('请A-008组'));
    await speech.endSpeech();
    await announcer.idle();
    expect(speech.heard).toEqual([
      'chime',
      'start 请A-007组',
      'end 请A-007组',
      'start 请A-007组',
      'end 请A-007组',
      'chime',
      'start 请A-008组',
      'end 请A-008组',
    ]);
    expect(waits).toHaveLength(1);
  });

  it('without a voice for the language, chimes twice and flashes the call for a while instead', async () => {
    const speech = new FakeSpeech([]);
    const flashing: (string | null)[] = [];
    const waits: number[] = [];
    const announcer = new Announcer(speech, {
      fallbackMs: 5000,
      onFallback: (c) => flashing.push(c?.phrase.text ?? null),
      wait: async (ms) => {
        waits.push(ms);
      },
    });
    announcer.announce(call('请A-004组'));
    announcer.announce(call('请A-005组'));
    await announcer.idle();
    expect(speech.heard).toEqual(['chime', 'chime', 'chime', 'chime']);
    expect(flashing).toEqual(['请A-004组', null, '请A-005组', null]);
    expect(waits).toEqual([5000, 5000]);
  });

  it('keeps going when the loudspeaker fails', async () => {
    const speech: SpeechBackend = {
      chime: () => Promise.reject(new Error('no audio')),
      speak: () => Promise.reject(new Error('engine crashed')),
    };
    const flashing: (string | null)[] = [];
    const announcer = new Announcer(speech, { onFallback: (c) => flashing.push(c?.phrase.text ?? null), wait: async () => {} });
    announcer.announce(call('请A-006组'));
    await announcer.idle();
    expect(flashing).toEqual(['请A-006组', null]);
  });
});
