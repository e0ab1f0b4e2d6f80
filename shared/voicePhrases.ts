// What the hall and the desk say, as a list of pre-rendered clips (one word or digit each), so a
// screen with no system voice still speaks. The same list read as text serves a system voice; a
// resident's name, which no clip can say, is carried beside the clips for a synthesizer.
import { maskedNameShown } from './names';
import type { ScanOutcome } from './protocol';

export const VOICE_LANGS = ['zh', 'en'] as const;
export type VoiceLang = (typeof VOICE_LANGS)[number];

const LETTERS = Array.from('ABCDEFGHIJKLMNOPQRSTUVWXYZ');

/**
 * Every clip that ships, by id, with the words it says. Ids are file names (public/voice/<lang>/<id>.ogg);
 * digits are '0'..'9' and letters 'A'..'Z' in both languages.
 */
export const CLIPS: Record<VoiceLang, Readonly<Record<string, string>>> = {
  zh: {
    ...Object.fromEntries(Array.from('零一二三四五六七八九').map((w, d) => [String(d), w])),
    ...Object.fromEntries(LETTERS.map((l) => [l, l])),
    ten: '十',
    please: '请',
    group: '组',
    to: '到',
    desk: '号台',
    sampling: '采样',
    point: '点',
    enter: '进入',
    'change-tube': '换管',
    'already-sampled': '已采过',
    'invalid-code': '无效码',
    'single-tube': '单管',
    'home-visit': '上门',
    'not-on-roster': '未登记',
  },
  en: {
    ...Object.fromEntries(['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].map((w, d) => [String(d), w])),
    ...Object.fromEntries(LETTERS.map((l) => [l, l])),
    ...Object.fromEntries(
      ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty'].map(
        (w, i) => [String(10 + i), w],
      ),
    ),
    please: 'please',
    group: 'group',
    go: 'go',
    to: 'to',
    desk: 'desk',
    point: 'point',
    at: 'at',
    come: 'come',
    in: 'in',
    for: 'for',
    sampling: 'sampling',
    'change-tube': 'new tube',
    'already-sampled': 'already sampled',
    'invalid-code': 'invalid code',
    'single-tube': 'single tube',
    'home-visit': 'home visit',
    'not-on-roster': 'not registered',
  },
};

/** A phrase to speak: the clips in order, and the same words as text for a system voice. */
export interface Phrase {
  lang: VoiceLang;
  clips: string[];
  text: string;
  /**
   * Said before the clips, in Mandarin whatever the page's language: a resident's name as its masked form
   * shows it (张丰 for 张*丰). No clip can say arbitrary names, so a synthesizer in the page says it.
   */
  name?: string;
}

function phrase(lang: VoiceLang, clips: string[]): Phrase {
  return { lang, clips, text: clips.map((c) => CLIPS[lang][c]).join(lang === 'zh' ? '' : ' ') };
}

/** The voice language of a page locale: zh-CN → zh, anything else → en. */
export function voiceLang(locale: string): VoiceLang {
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** "A-003" letter by letter and digit by digit (A 零 零 三), never "A minus three". */
export function spelled(text: string): string[] {
  return Array.from(text.toUpperCase()).filter((c) => /[A-Z0-9]/.test(c));
}

/** A count or a desk as said aloud: 二, 十, 十二, 二十 / two, ten, twelve, twenty; longer numbers digit by digit. */
export function cardinal(n: number, lang: VoiceLang): string[] {
  if (!Number.isInteger(n) || n < 0) return spelled(String(n));
  if (lang === 'en') return n <= 20 ? [String(n)] : spelled(String(n));
  if (n < 10) return [String(n)];
  if (n >= 100) return spelled(String(n));
  const tens = Math.floor(n / 10);
  const unit = n % 10;
  return [...(tens > 1 ? [String(tens)] : []), 'ten', ...(unit ? [String(unit)] : [])];
}

// ---- the hall call ------------------------------------------------------------------------------

export const PLACEHOLDERS = ['group', 'desk', 'point'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];
type Token = { clip: string } | { slot: Placeholder };

/** The operator's call wording by default; {group} {desk} {point} are filled in per call. */
export const DEFAULT_TEMPLATES: Record<VoiceLang, string> = {
  zh: '请 {group} 组 到 {desk} 号台 采样',
  en: 'group {group}, please go to desk {desk}',
};

/** A call to a group without a desk (an older server, or a point without desks). */
const NO_DESK: Record<VoiceLang, string> = {
  zh: '请 {group} 组 进入 采样',
  en: 'group {group}, please come in for sampling',
};

export type TemplateResult = { ok: true; tokens: Token[] } | { ok: false; unknown: string };

/**
 * Reads a template into clips and placeholders. Only words that ship as clips can be said, so any other
 * word is refused (named in `unknown`) rather than skipped in silence.
 */
export function parseTemplate(template: string, lang: VoiceLang): TemplateResult {
  const words = Object.entries(CLIPS[lang])
    .map(([clip, text]) => ({ clip, text: text.toLowerCase() }))
    // Chinese digits as written in a template: 2 and 二 both say 二.
    .concat(lang === 'zh' ? Array.from('0123456789').map((d) => ({ clip: d, text: d })) : [])
    .sort((a, b) => b.text.length - a.text.length);
  const src = template.toLowerCase();
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    if (/[\s,.!?;:，。！？；：、]/.test(src[i])) {
      i++;
      continue;
    }
    const slot = /^\{(\w+)\}/.exec(src.slice(i));
    if (slot) {
      if (!(PLACEHOLDERS as readonly string[]).includes(slot[1])) return { ok: false, unknown: slot[0] };
      tokens.push({ slot: slot[1] as Placeholder });
      i += slot[0].length;
      continue;
    }
    // English words end at a word boundary ("to" is not the start of "today"); Chinese has none.
    const hit = words.find((w) => src.startsWith(w.text, i) && (lang === 'zh' || !/[a-z]/.test(src[i + w.text.length] ?? '')));
    if (!hit) return { ok: false, unknown: (lang === 'en' && /^[^\s,.!?;:{]+/.exec(src.slice(i))?.[0]) || src[i] };
    tokens.push({ clip: hit.clip });
    i += hit.text.length;
  }
  return { ok: true, tokens };
}

export interface CallFacts {
  /** The group label, A-003. */
  group: string;
  desk: number | null;
  point: string;
  /** Several points share the screen, so "desk 2" alone is ambiguous: the call says whose desk. */
  namePoint?: boolean;
}

/**
 * Where the point goes in wording that does not name it ({point}), when it must be said:
 * "到 A 点 2 号台" before the desk, "desk two at point A" after it.
 */
const POINT_AT_DESK: Record<VoiceLang, { before: Token[]; after: Token[] }> = {
  zh: { before: [{ slot: 'point' }, { clip: 'point' }], after: [] },
  en: { before: [], after: [{ clip: 'at' }, { clip: 'point' }, { slot: 'point' }] },
};

/** A group's call in the operator's wording (a template that does not parse falls back to the default). */
export function callPhrase(call: CallFacts, lang: VoiceLang, template = DEFAULT_TEMPLATES[lang]): Phrase {
  let parsed = parseTemplate(call.desk === null ? NO_DESK[lang] : template, lang);
  if (!parsed.ok) parsed = parseTemplate(DEFAULT_TEMPLATES[lang], lang) as { ok: true; tokens: Token[] };
  let tokens = parsed.tokens;
  if (call.namePoint && call.desk !== null && !tokens.some((t) => 'slot' in t && t.slot === 'point')) {
    const { before, after } = POINT_AT_DESK[lang];
    tokens = tokens.flatMap((t) => ('slot' in t && t.slot === 'desk' ? [...before, t, ...after] : [t]));
  }
  const clips = tokens.flatMap((t) => {
    if ('clip' in t) return [t.clip];
    if (t.slot === 'group') return spelled(call.group);
    if (t.slot === 'point') return spelled(call.point);
    return call.desk === null ? [] : cardinal(call.desk, lang);
  });
  return phrase(lang, clips);
}

// ---- the desk voice at the kiosk ----------------------------------------------------------------

/**
 * A name as the desk says it: the Chinese characters its masked form shows (张三丰 → 张丰, 张三 → 张), so
 * the people queuing behind hear no more of it than a public screen would show. Letters (a name in Latin
 * script) are left out: the Mandarin voice cannot spell them.
 */
export function spokenName(name: string): string {
  return Array.from(maskedNameShown(name))
    .filter((c) => /\p{Script=Han}/u.test(c))
    .join('');
}

/**
 * What the kiosk says after a scan: the masked name and the place in the tube ("张丰 二"), "换管" when the
 * tube is full, or one word per refusal.
 */
export function deskPhrase(outcome: ScanOutcome, lang: VoiceLang): Phrase | null {
  switch (outcome.kind) {
    case 'added': {
      const said = phrase(lang, [...cardinal(outcome.group.position, lang), ...(outcome.full ? ['change-tube'] : [])]);
      const name = spokenName(outcome.resident.name);
      return name ? { ...said, name } : said;
    }
    case 'duplicate':
      return phrase(lang, ['already-sampled']);
    case 'rejected':
      return phrase(lang, ['invalid-code']);
    case 'routed':
      return phrase(lang, [outcome.route === 'home' ? 'home-visit' : 'single-tube']);
    case 'not-on-roster':
      return phrase(lang, ['not-on-roster']);
  }
  return null;
}
