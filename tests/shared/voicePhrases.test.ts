// What the hall and the desk say, as the clips that ship: numbers, desks and points read right in both languages.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ScanOutcome } from '../../shared/protocol';
import {
  callPhrase,
  cardinal,
  CLIPS,
  deskPhrase,
  parseTemplate,
  spelled,
  spokenName,
  VOICE_LANGS,
  voiceLang,
} from '../../shared/voicePhrases';

const resident = { name: '张三丰', household: '3-2-501', tags: [] };
const added = (position: number, full = false): ScanOutcome => ({
  kind: 'added',
  resident,
  group: { id: 1, label: 'A-001', position, poolSize: 10 },
  full,
  memberId: 1,
});

describe('the hall call', () => {
  it('reads a group number digit by digit and the desk as a number, in Chinese', () => {
    const p = callPhrase({ group: 'A-003', desk: 2, point: 'A' }, 'zh');
    expect(p.clips).toEqual(['please', 'A', '0', '0', '3', 'group', 'to', '2', 'desk', 'sampling']);
    expect(p.text).toBe('请A零零三组到二号台采样');
  });

  it('reads the same call in English', () => {
    const p = callPhrase({ group: 'B-120', desk: 3, point: 'B' }, 'en');
    expect(p.clips).toEqual(['group', 'B', '1', '2', '0', 'please', 'go', 'to', 'desk', '3']);
    expect(p.text).toBe('group B one two zero please go to desk three');
  });

  it("follows the operator's wording, with the point spelled", () => {
    expect(callPhrase({ group: 'AB-010', desk: 4, point: 'AB' }, 'zh', '请{group}组到{point}点{desk}号台').clips).toEqual([
      'please',
      'A',
      'B',
      '0',
      '1',
      '0',
      'group',
      'to',
      'A',
      'B',
      'point',
      '4',
      'desk',
    ]);
    expect(
      callPhrase({ group: 'C-002', desk: 1, point: 'C' }, 'en', 'Please, group {group}: go to point {point}, desk {desk}.').clips,
    ).toEqual(['please', 'group', 'C', '0', '0', '2', 'go', 'to', 'point', 'C', 'desk', '1']);
  });

  it('names the point when several share the screen: before the desk in Chinese, after it in English', () => {
    const call = { group: 'A-003', desk: 2, point: 'A', namePoint: true };
    expect(callPhrase(call, 'zh').clips).toEqual(['please', 'A', '0', '0', '3', 'group', 'to', 'A', 'point', '2', 'desk', 'sampling']);
    expect(callPhrase(call, 'zh').text).toBe('请A零零三组到A点二号台采样');
    expect(callPhrase({ ...call, point: 'B' }, 'en').text).toBe('group A zero zero three please go to desk two at point B');
    // The operator's own wording gets the point the same way; one that names it already is left alone.
    expect(callPhrase(call, 'zh', '{group}组 到{desk}号台').text).toBe('A零零三组到A点二号台');
    expect(callPhrase(call, 'zh', '请{group}组到{point}点{desk}号台').text).toBe('请A零零三组到A点二号台');
    expect(callPhrase(call, 'en', 'group {group}, point {point}, desk {desk}').text).toBe('group A zero zero three point A desk two');
    // One point on the screen, or a call without a desk: no point said.
    expect(callPhrase({ ...call, namePoint: false }, 'zh').text).toBe('请A零零三组到二号台采样');
    expect(callPhrase({ ...call, desk: null }, 'zh').text).toBe('请A零零三组进入采样');
  });

  it('calls a group without a desk in for sampling', () => {
    expect(callPhrase({ group: 'A-001', desk: null, point: 'A' }, 'zh').text).toBe('请A零零一组进入采样');
    expect(callPhrase({ group: 'A-001', desk: null, point: 'A' }, 'en').text).toBe('group A zero zero one please come in for sampling');
  });

  it('refuses wording that has no recording, naming the word, and keeps the default call', () => {
    expect(parseTemplate('请{group}组到{desk}号窗口', 'zh')).toEqual({ ok: false, unknown: '号' });
    expect(parseTemplate('group {group} to counter {desk}', 'en')).toEqual({ ok: false, unknown: 'counter' });
    expect(parseTemplate('group {group} to {room}', 'en')).toEqual({ ok: false, unknown: '{room}' });
    expect(parseTemplate('group { group}', 'en')).toEqual({ ok: false, unknown: '{' });
    // "to" is a word, "today" is not "to" + "day".
    expect(parseTemplate('group today', 'en')).toEqual({ ok: false, unknown: 'today' });
    expect(callPhrase({ group: 'A-003', desk: 2, point: 'A' }, 'zh', '请到窗口').text).toBe('请A零零三组到二号台采样');
  });
});

describe('numbers said aloud', () => {
  it('spells labels letter by letter and digit by digit', () => {
    expect(spelled('A-003')).toEqual(['A', '0', '0', '3']);
    expect(spelled('ab-1')).toEqual(['A', 'B', '1']);
  });

  it('says places and desks as numbers: 二, 十, 十二, 二十 / two, ten, twelve, twenty', () => {
    const zh = (n: number) =>
      cardinal(n, 'zh')
        .map((c) => CLIPS.zh[c])
        .join('');
    expect([2, 10, 12, 20, 35].map(zh)).toEqual(['二', '十', '十二', '二十', '三十五']);
    expect(
      [2, 10, 12, 20].map((n) =>
        cardinal(n, 'en')
          .map((c) => CLIPS.en[c])
          .join(' '),
      ),
    ).toEqual(['two', 'ten', 'twelve', 'twenty']);
    // Beyond the recorded numbers: digit by digit.
    expect(cardinal(21, 'en')).toEqual(['2', '1']);
    expect(cardinal(120, 'zh')).toEqual(['1', '2', '0']);
  });

  it("takes the page's locale", () => {
    expect(voiceLang('zh-CN')).toBe('zh');
    expect(voiceLang('en')).toBe('en');
  });
});

describe('the desk voice', () => {
  it('says the place in the tube, and 换管 when the tube is full', () => {
    expect(deskPhrase(added(2), 'zh')!.text).toBe('二');
    expect(deskPhrase(added(10, true), 'zh')!.text).toBe('十换管');
    expect(deskPhrase(added(10, true), 'en')!.text).toBe('ten new tube');
  });

  it('says the name first as its masked form shows it (张*丰 → 张丰), in Mandarin on an English page too', () => {
    expect(deskPhrase(added(2), 'zh')).toMatchObject({ name: '张丰', clips: ['2'] });
    expect(deskPhrase(added(2), 'en')).toMatchObject({ name: '张丰', clips: ['2'] });
    expect(spokenName('张三')).toBe('张');
    expect(spokenName('欧阳娜娜')).toBe('欧娜');
    // Nothing of a one-character name is shown, and the Mandarin voice cannot spell Latin letters.
    expect(spokenName('王')).toBe('');
    expect(spokenName('John Smith')).toBe('');
    const latin: ScanOutcome = {
      kind: 'added',
      resident: { ...resident, name: 'John Smith' },
      group: { id: 1, label: 'A-001', position: 4, poolSize: 10 },
      full: false,
      memberId: 1,
    };
    expect(deskPhrase(latin, 'zh')).not.toHaveProperty('name');
    // The text for a system voice is the clips' words only: the name has its own voice.
    expect(deskPhrase(added(3), 'zh')!.text).toBe('三');
  });

  it('has a word of its own for each refusal', () => {
    const words = (lang: 'zh' | 'en') =>
      [
        { kind: 'duplicate', resident, previous: { point: 'A', groupLabel: 'A-001', at: '2026-04-01T08:00:00Z' } },
        { kind: 'rejected', reason: 'forged' },
        { kind: 'routed', route: 'single-tube', resident, group: { id: 2, label: 'A-002' } },
        { kind: 'routed', route: 'home', resident },
        { kind: 'not-on-roster', maskedIdNumber: '1101**********0012' },
      ].map((o) => deskPhrase(o as ScanOutcome, lang)!.text);
    expect(words('zh')).toEqual(['已采过', '无效码', '单管', '上门', '未登记']);
    expect(new Set(words('en')).size).toBe(5);
  });
});

describe('the shipped clips', () => {
  const manifest = JSON.parse(fs.readFileSync('renderer/public/voice/manifest.json', 'utf8')) as {
    totalBytes: number;
    clips: Record<string, Record<string, { file: string; ms: number }>>;
  };

  it('has a rendered clip for every word of the phrase list, and no other', () => {
    for (const lang of VOICE_LANGS) {
      expect(Object.keys(manifest.clips[lang]).sort()).toEqual(Object.keys(CLIPS[lang]).sort());
      for (const { file } of Object.values(manifest.clips[lang])) expect(fs.existsSync(`renderer/public/voice/${file}`)).toBe(true);
    }
  });

  it('keeps every desk word under a second and the whole set small', () => {
    for (const lang of VOICE_LANGS) {
      for (const id of ['10', 'ten', 'change-tube', 'already-sampled', 'invalid-code', 'single-tube', 'home-visit', 'not-on-roster']) {
        if (manifest.clips[lang][id]) expect(manifest.clips[lang][id].ms, `${lang}/${id}`).toBeLessThanOrEqual(1000);
      }
    }
    expect(manifest.totalBytes).toBeLessThan(300 * 1024);
  });
});
