// Every refusal the server can give is worded in both languages, with the params it carries, and the
// Chinese pages show no English. (The type check holds the same for missing texts; this also runs them.)
import { describe, expect, it } from 'vitest';
import { createI18n } from 'vue-i18n';
import { REASON_CODES, REASONS, type Refusal } from '../../shared/reasons';
import en from '../../renderer/i18n/en';
import zhCN from '../../renderer/i18n/zh-CN';
import zhCNMore from '../../renderer/i18n/zh-CN.more';
import { refusalText } from '../../renderer/lib/errorText';
import { CAMERA_FAULTS, cameraFault } from '../../renderer/lib/scanner/cameraFault';

/** The Chinese messages as a staff page holds them: the phone pages' and the rest, reasons from both. */
const zhAll = { ...zhCN, ...zhCNMore, reasons: { ...zhCN.reasons, ...zhCNMore.reasons } };
const LANGS = { 'zh-CN': zhAll, en } as const;
/** Names Chinese users read as they are: programs, file types, units, the ID number's check letter. */
const LATIN_KEPT = /\b(Excel|WPS|CSV|csv|UTF|XML|xlsx|xls|MB|KB|Chrome|Edge|X)\b/g;

function textOf(messages: typeof zhAll, code: string): unknown {
  const [group, key] = code.split(/\.(.*)/s);
  return (messages.reasons as Record<string, Record<string, unknown>>)[group]?.[key];
}

type Translate = (key: string, named?: Record<string, unknown>, plural?: number) => string;
const i18nFor = (locale: keyof typeof LANGS): { t: Translate } => {
  // Untyped on purpose: vue-i18n's inference over the whole message tree is deeper than TypeScript goes.
  const make = createI18n as unknown as (options: object) => { global: { t: Translate } };
  return make({ legacy: false, locale, messages: { [locale]: LANGS[locale] }, missingWarn: false, fallbackWarn: false }).global;
};

describe('the pages word every refusal reason', () => {
  it.each(Object.keys(LANGS) as (keyof typeof LANGS)[])('%s has a text for every reason, naming only its params', (lang) => {
    for (const code of REASON_CODES) {
      const text = textOf(LANGS[lang], code);
      expect(typeof text === 'string' && text.length > 0, `${lang} ${code}`).toBe(true);
      const named = [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const name of named) expect(REASONS[code].params as readonly string[], `${lang} ${code} {${name}}`).toContain(name);
    }
  });

  it('the Chinese texts hold no English words', () => {
    for (const code of REASON_CODES) {
      const text = String(textOf(zhAll, code))
        .replace(/\{\w+\}/g, '')
        .replace(LATIN_KEPT, '');
      expect(text, code).not.toMatch(/[A-Za-z]{2,}/);
    }
    for (const fault of CAMERA_FAULTS)
      expect(zhCNMore.kioskInput.camera.fault[fault].replace(LATIN_KEPT, ''), fault).not.toMatch(/[A-Za-z]{2,}/);
  });

  it("words the params that are domain words (a box state, a role) in the page's language", () => {
    const boxClosed: Refusal = { reason: 'box.not-open', params: { box: 'BOX-01', state: 'closed' } };
    const asKiosk: Refusal = { reason: 'auth.role-forbidden', params: { role: 'kiosk' } };
    const zh = i18nFor('zh-CN');
    const english = i18nFor('en');
    expect(refusalText(zh.t, boxClosed)).toBe('转运箱 BOX-01 已“已封箱”，不能再放入试管，请换一个新箱。');
    expect(refusalText(english.t, boxClosed)).toBe('Box BOX-01 (Closed) takes no more tubes; use a new box.');
    expect(refusalText(zh.t, asKiosk)).toContain('登记台');
    expect(refusalText(english.t, { reason: 'auth.wrong-pin', params: {} })).toBe('Wrong PIN; try again.');
  });

  it('says "1 person" and "2 people" in English, as one form in Chinese', () => {
    const english = i18nFor('en');
    expect([english.t('common.people', { n: 1 }, 1), english.t('common.people', { n: 2 }, 2)]).toEqual(['1 person', '2 people']);
    expect(english.t('counts.waitingGroups', { n: 1 }, 1)).toBe('1 group waiting');
    expect(i18nFor('zh-CN').t('common.people', { n: 1 }, 1)).toBe('1 人');
  });
});

describe('why the camera did not start', () => {
  it('tells a refused permission, no camera, a busy camera and an insecure page apart', () => {
    const denied = new DOMException('Permission denied', 'NotAllowedError');
    expect(cameraFault(denied, true)).toBe('denied');
    expect(cameraFault('Error getting userMedia, error = NotFoundError: Requested device not found', true)).toBe('no-camera');
    expect(cameraFault('Error getting userMedia, error = NotReadableError: Could not start video source', true)).toBe('busy');
    expect(cameraFault('Camera streaming not supported by the browser.', true)).toBe('unsupported');
    expect(cameraFault(denied, false)).toBe('insecure');
    expect(cameraFault(new Error('something else'), true)).toBe('failed');
  });
});
