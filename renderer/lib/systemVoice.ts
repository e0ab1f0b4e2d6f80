// The browser's own voices (speechSynthesis): the hall display's when the operator prefers one, and the
// kiosk's voice for a name when the device has a Chinese one.
import type { VoiceLang } from '../../shared/voicePhrases';

const BCP47: Record<VoiceLang, string> = { zh: 'zh-CN', en: 'en' };

const synth = (): SpeechSynthesis | null => (typeof speechSynthesis === 'undefined' ? null : speechSynthesis);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A voice of the language among those loaded now (zh-CN, else any zh). */
export function voiceNow(lang: VoiceLang): SpeechSynthesisVoice | null {
  const norm = (l: string) => l.replace('_', '-').toLowerCase();
  const want = norm(BCP47[lang]);
  const voices = synth()?.getVoices() ?? [];
  return voices.find((v) => norm(v.lang) === want) ?? voices.find((v) => norm(v.lang).split('-')[0] === want.split('-')[0]) ?? null;
}

/** The same, waiting a little for the voices some browsers load late. */
export async function voiceFor(lang: VoiceLang): Promise<SpeechSynthesisVoice | null> {
  const s = synth();
  if (s && s.getVoices().length === 0) {
    await Promise.race([new Promise((r) => s.addEventListener('voiceschanged', r, { once: true })), sleep(1500)]);
  }
  return voiceNow(lang);
}

/** Says the text with that voice; resolves when done (false when the engine failed), or cut off by cancelSpeech. */
export function speakWith(voice: SpeechSynthesisVoice, text: string, volume: number): Promise<boolean> {
  const s = synth();
  if (!s) return Promise.resolve(false);
  return new Promise((resolve) => {
    const u = new SpeechSynthesisUtterance(text);
    u.voice = voice;
    u.lang = voice.lang;
    u.rate = 0.9;
    u.volume = volume;
    // Some engines never fire "end": a generous guard keeps the queue moving.
    const guard = setTimeout(() => resolve(true), 4000 + text.length * 400);
    const done = (ok: boolean) => {
      clearTimeout(guard);
      resolve(ok);
    };
    u.onend = () => done(true);
    u.onerror = () => done(false);
    s.speak(u);
  });
}

/** Silences the system voice (the kiosk's next scan, or its mute key). */
export function cancelSpeech(): void {
  synth()?.cancel();
}
