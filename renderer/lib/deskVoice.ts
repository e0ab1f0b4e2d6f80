// The kiosk's desk voice: after each scan the place in the tube ("二", "十 换管") or the refusal's word,
// so a sampler in a face shield need not read the screen. Fire and forget: a scan never waits for it,
// and the next scan's words cut off the last ones (the one place where cutting off is right).
import { watch } from 'vue';
import type { ScanOutcome } from '../../shared/protocol';
import { POOL_SIZES } from '../../shared/pooling';
import { cardinal, deskPhrase, voiceLang } from '../../shared/voicePhrases';
import { VoicePlayer, type PlayResult } from './voicePlayer';
import { useDeskVoiceOn } from './voiceSettings';

const player = new VoicePlayer();

const REFUSALS = ['already-sampled', 'invalid-code', 'single-tube', 'home-visit', 'not-on-roster'];

/** Every clip the desk can say (places 1–20, 换管, the refusals), loaded while the kiosk waits for a scan. */
function preload(locale: string): void {
  const lang = voiceLang(locale);
  const places = Array.from({ length: Math.max(...POOL_SIZES) }, (_, i) => cardinal(i + 1, lang)).flat();
  const clips = [...new Set([...places, 'change-tube', ...REFUSALS])];
  player.load({ lang, clips, text: '' }).catch(() => {});
}

export function useDeskVoice(locale: () => string) {
  const on = useDeskVoiceOn();
  watch([on, locale], ([isOn, l]) => isOn && preload(l), { immediate: true });

  /** Says what the scan did; 'unavailable' when the voice is off or cannot play (the caller beeps instead). */
  function say(outcome: ScanOutcome): Promise<PlayResult> {
    const phrase = on.value ? deskPhrase(outcome, voiceLang(locale())) : null;
    if (!phrase) return Promise.resolve('unavailable');
    return player.play(phrase, { cut: true });
  }

  /** Mutes or unmutes; muting also silences the words being said. */
  function toggle(): void {
    on.value = !on.value;
    if (!on.value) player.stop();
  }

  return { on, say, toggle };
}
