import { describe, expect, it } from 'vitest';
import { hasPriority, parseTags, PRIORITY_TAGS, TAGS } from '../../shared/tags';

describe('reading the tag column of a roster', () => {
  it('reads the Chinese words staff write: 老人、行动不便', () => {
    expect(parseTags('老人、行动不便')).toEqual({ tags: ['elderly', 'immobile'], unknown: [] });
  });

  it('maps every common spreadsheet word to its tag', () => {
    const cases: [string, string][] = [
      ['高龄', 'elderly'],
      ['独居老人', 'elderly'],
      ['失能', 'immobile'],
      ['长期卧床', 'bedridden'],
      ['婴幼儿', 'infant'],
      ['孕妇', 'pregnant'],
      ['残疾人', 'disabled'],
      ['居家隔离', 'quarantine'],
      ['重点人员', 'quarantine'],
      ['单采', 'quarantine'],
      ['封控', 'sealed'],
      ['封控楼栋', 'sealed'],
      ['临时', 'walk-in'],
    ];
    for (const [word, tag] of cases) expect(parseTags(word).tags).toEqual([tag]);
  });

  it('accepts the English tag names in any case', () => {
    expect(parseTags('Elderly, PREGNANT, walk-in').tags).toEqual(['elderly', 'pregnant', 'walk-in']);
    expect(parseTags(TAGS.join(',')).tags).toEqual([...TAGS]);
  });

  it('splits on full-width and half-width commas, 、, semicolons, slashes, bars and spaces', () => {
    const { tags, unknown } = parseTags('老人，孕妇;残疾；隔离/封控|婴儿 卧床,临时');
    expect(new Set(tags)).toEqual(new Set(['elderly', 'pregnant', 'disabled', 'quarantine', 'sealed', 'infant', 'bedridden', 'walk-in']));
    expect(unknown).toEqual([]);
  });

  it('lists each tag once even if written twice in different words', () => {
    expect(parseTags('老人、高龄、elderly').tags).toEqual(['elderly']);
  });

  it('returns unknown words apart so the import report can warn about them', () => {
    expect(parseTags('老人、低保户、VIP')).toEqual({ tags: ['elderly'], unknown: ['低保户', 'VIP'] });
  });

  it('an empty or blank cell gives no tags and no warnings', () => {
    expect(parseTags('')).toEqual({ tags: [], unknown: [] });
    expect(parseTags('  、 ， ')).toEqual({ tags: [], unknown: [] });
  });

  it('does not mistake JavaScript object member names for tags', () => {
    const { tags, unknown } = parseTags('constructor、__proto__、toString、hasOwnProperty');
    expect(tags).toEqual([]);
    expect(unknown).toEqual(['constructor', '__proto__', 'toString', 'hasOwnProperty']);
  });
});

describe('green channel (绿色通道) priority', () => {
  it('elderly, pregnant and disabled residents get priority', () => {
    expect(PRIORITY_TAGS).toEqual(['elderly', 'pregnant', 'disabled']);
    expect(hasPriority(['elderly'])).toBe(true);
    expect(hasPriority(['pregnant'])).toBe(true);
    expect(hasPriority(['quarantine', 'disabled'])).toBe(true);
  });

  it('other tags, or none, do not', () => {
    expect(hasPriority([])).toBe(false);
    expect(hasPriority(['infant', 'walk-in', 'quarantine', 'sealed', 'immobile', 'bedridden'])).toBe(false);
  });
});
