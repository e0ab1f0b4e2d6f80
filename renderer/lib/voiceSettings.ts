// The operator's voice settings, kept in the device's localStorage: the hall display's volume, repeat
// count, call wording and system-voice choice, and whether the kiosk's desk voice is on.
import { ref, watch, type Ref } from 'vue';
import { z } from 'zod';
import { DEFAULT_TEMPLATES, VOICE_LANGS, type VoiceLang } from '../../shared/voicePhrases';

export const MAX_REPEAT = 3;

const hallSchema = z.object({
  /** Percent, 0–100. */
  volume: z.number().int().min(0).max(100).catch(100),
  repeat: z.number().int().min(1).max(MAX_REPEAT).catch(1),
  systemVoice: z.boolean().catch(false),
  /** The call wording per language; a language left out uses the default. */
  templates: z.partialRecord(z.enum(VOICE_LANGS), z.string().max(200)).catch({}),
});
export type HallVoiceSettings = z.infer<typeof hallSchema>;

const HALL_KEY = 'nat-queue.hallVoice';
const DESK_KEY = 'nat-queue.deskVoice';

function stored(key: string): unknown {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

/**
 * The display's settings, saved on every change. URL parameters (?volume=60&repeat=2) set them too, so a
 * TV started by a script needs no keyboard.
 */
export function useHallVoiceSettings(query: Record<string, unknown> = {}): Ref<HallVoiceSettings> {
  const saved = hallSchema.parse({ ...(stored(HALL_KEY) as object | null) });
  const fromUrl = (name: string) => (typeof query[name] === 'string' ? Number(query[name]) : undefined);
  const settings = ref(
    hallSchema.parse({
      ...saved,
      volume: fromUrl('volume') ?? saved.volume,
      repeat: fromUrl('repeat') ?? saved.repeat,
    }),
  );
  watch(settings, (s) => localStorage.setItem(HALL_KEY, JSON.stringify(s)), { deep: true, immediate: true });
  return settings;
}

export function templateFor(settings: HallVoiceSettings, lang: VoiceLang): string {
  return settings.templates[lang]?.trim() || DEFAULT_TEMPLATES[lang];
}

/** The kiosk's desk voice: on by default in the Electron kiosk, off in an ordinary browser until turned on. */
export function useDeskVoiceOn(): Ref<boolean> {
  const saved = stored(DESK_KEY);
  const on = ref(typeof saved === 'boolean' ? saved : typeof window !== 'undefined' && window.natq !== undefined);
  watch(on, (v) => localStorage.setItem(DESK_KEY, JSON.stringify(v)));
  return on;
}
