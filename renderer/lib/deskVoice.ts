// The kiosk's desk voice: after each scan the masked name and the place in the tube ("张丰 二", "十 换管")
// or the refusal's word, so a sampler in a face shield need not read the screen. Fire and forget: a scan
// never waits for it, and the next scan's words cut off the last ones (the one place where cutting off
// is right). The name, which no clip can say, comes from a Chinese system voice when the device has one,
// else from espeak-ng in a worker (nameVoice.ts), loaded only once the desk voice is on.
import { watch } from 'vue';
import type { ScanOutcome } from '../../shared/protocol';
import { POOL_SIZES } from '../../shared/pooling';
import { cardinal, deskPhrase, voiceLang, type Phrase } from '../../shared/voicePhrases';
import { NameVoice } from './nameVoice';
import { cancelSpeech, speakWith, voiceNow } from './systemVoice';
import { VoicePlayer, type PlayResult } from './voicePlayer';
import { useDeskVoiceOn } from './voiceSettings';

const player = new VoicePlayer();
const names = new NameVoice();
/** Counts what was said, so a name a system voice finished after the next scan does not bring back its place. */
let said = 0;

const REFUSALS = ['already-sampled', 'invalid-code', 'single-tube', 'home-visit', 'not-on-roster'];

/** Every clip the desk can say (places 1–20, 换管, the refusals), loaded while the kiosk waits for a scan. */
function preload(locale: string): void {
  const lang = voiceLang(locale);
  const places = Array.from({ length: Math.max(...POOL_SIZES) }, (_, i) => cardinal(i + 1, lang)).flat();
  const clips = [...new Set([...places, 'change-tube', ...REFUSALS])];
  player.load({ lang, clips, text: '' }).catch(() => {});
  if (!voiceNow('zh')) names.warm();
}

async function sayPhrase(phrase: Phrase): Promise<PlayResult> {
  const turn = ++said;
  const name = phrase.name;
  if (!name) return player.play(phrase, { cut: true });
  const system = voiceNow('zh');
  if (!system) return player.play(phrase, { cut: true, lead: (ctx) => names.audio(ctx, name) });
  player.stop();
  cancelSpeech();
  await speakWith(system, name, 1);
  return turn === said ? player.play(phrase, { cut: true }) : 'cut';
}

export function useDeskVoice(locale: () => string) {
  const on = useDeskVoiceOn();
  watch([on, locale], ([isOn, l]) => isOn && preload(l), { immediate: true });

  /** Says what the scan did; 'unavailable' when the voice is off or cannot play (the caller beeps instead). */
  function say(outcome: ScanOutcome): Promise<PlayResult> {
    const phrase = on.value ? deskPhrase(outcome, voiceLang(locale())) : null;
    if (!phrase) return Promise.resolve('unavailable');
    return sayPhrase(phrase);
  }

  /** Mutes or unmutes; muting also silences the words being said. */
  function toggle(): void {
    on.value = !on.value;
    if (!on.value) {
      said++;
      player.stop();
      cancelSpeech();
    }
  }

  return { on, say, toggle };
}
