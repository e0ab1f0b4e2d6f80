// A sampler finds 张三丰 by typing zsf. The initials are derived for every resident of a 100,000-row
// roster, so nameInitials reads most characters from a per-character table; these tests hold it to
// what pinyin-pro says for the whole name.
import { describe, expect, it } from 'vitest';
import { pinyin } from 'pinyin-pro';
import { nameInitials } from '../../shared/residentSearch';

/** What pinyin-pro reads for the whole name, the surname at its head. */
function wholeName(name: string): string {
  return pinyin(name.trim(), { pattern: 'first', toneType: 'none', type: 'array', surname: 'head' })
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The first letters of every reading of a character, as a surname too. */
function readingInitials(char: string): Set<string> {
  return new Set(pinyin(char, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head', multiple: true }));
}

describe('pinyin initials of a name', () => {
  it('read surnames, polyphonic characters and mixed scripts as pinyin-pro does for the whole name', () => {
    const names = [
      '张三丰',
      '单雄信',
      '欧阳娜娜',
      '长孙无忌',
      '曾长江',
      '尉迟恭',
      '乐乐',
      '解放',
      '区长',
      '仇',
      '朴 智星',
      '覃',
      '万俟卨',
      'Tom Li',
      'abc张',
      '李2号',
      '王·晓',
      'Ｔｏｍ',
      'é张',
      '𠀀张',
      '阿卜杜拉·买买提',
      '张々',
      '  王伟 ',
      '',
      'İlker 王',
    ];
    for (const name of names) expect([name, nameInitials(name)]).toEqual([name, wholeName(name)]);
    expect(nameInitials('单雄信')).toBe('sxx');
  });

  it('agree with the whole-name reading on many made-up names, polyphonic characters among them', () => {
    const chars = Array.from(
      '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗单曾仇区解朴乐长重行都朝调和查盖华燕柏薄翟万俟欧阳司马诸葛上官建国志明海德秀玉桂淑伟芳娜敏静丽强磊军洋一不了的地得着传藏',
    );
    let seed = 7;
    const pick = () => chars[(seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) % chars.length];
    for (let i = 0; i < 20_000; i++) {
      const name = Array.from({ length: 2 + (i % 3) }, pick).join('');
      if (nameInitials(name) !== wholeName(name)) expect([name, nameInitials(name)]).toEqual([name, wholeName(name)]);
    }
  });

  it('rely only on what pinyin-pro guarantees: a phrase or surname rule made of characters with one initial each keeps those initials', async () => {
    // pinyin-pro's own rule list, from an internal module: this guards the per-character table across upgrades.
    // (A rule that changes an initial, such as 傍 in 傍若无人, always holds a character with several: such a name is read whole.)
    const path = 'pinyin-pro/dist/esm/data/patterns.mjs';
    const { PatternsNormal: rules } = (await import(path)) as { PatternsNormal: { zh: string; pinyin: string }[] };
    expect(rules.length).toBeGreaterThan(1000);
    const changed = rules.filter(({ zh, pinyin: reading }) => {
      const own = Array.from(zh, readingInitials);
      if (!own.every((initials) => initials.size === 1)) return false;
      // The rule's reading of each character, its first letter without the tone mark (è → e).
      const ruled = reading.split(' ').map((r) => r.normalize('NFD')[0]);
      return own.some((initials, i) => !initials.has(ruled[i]));
    });
    expect(changed).toEqual([]);
    const differ = rules.flatMap(({ zh }) => [zh, `王${zh}`]).filter((name) => nameInitials(name) !== wholeName(name));
    expect(differ).toEqual([]);
  });
});
