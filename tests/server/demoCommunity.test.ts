import { describe, expect, it } from 'vitest';
import { generateCommunity } from '../../server/demo/community';
import { birthDateOf, isValidIdNumber } from '../../shared/idNumber';
import { isValidPhone } from '../../shared/phone';
import { mapHeaders, validateRosterRow, type RosterEntry } from '../../shared/roster';
import { parseTags } from '../../shared/tags';

const TODAY = new Date(Date.UTC(2025, 5, 15));
const community = generateCommunity({ seed: 42, today: TODAY });

function ageOf(e: RosterEntry): number {
  const [y, m, d] = birthDateOf(e.idNumber).split('-').map(Number);
  const age = TODAY.getUTCFullYear() - y;
  const beforeBirthday = TODAY.getUTCMonth() + 1 < m || (TODAY.getUTCMonth() + 1 === m && TODAY.getUTCDate() < d);
  return beforeBirthday ? age - 1 : age;
}

const isMale = (e: RosterEntry) => Number(e.idNumber[16]) % 2 === 1;

function households(entries: RosterEntry[]): RosterEntry[][] {
  const byFlat = new Map<string, RosterEntry[]>();
  for (const e of entries) {
    const key = `${e.building}-${e.unit}-${e.room}`;
    byFlat.set(key, [...(byFlat.get(key) ?? []), e]);
  }
  return [...byFlat.values()];
}

describe('the demo community', () => {
  it('has about 3,000 residents in 20 buildings by default', () => {
    expect(community.length).toBeGreaterThanOrEqual(2800);
    expect(community.length).toBeLessThanOrEqual(3200);
    expect(new Set(community.map((e) => e.building))).toEqual(new Set(Array.from({ length: 20 }, (_, i) => String(i + 1))));
  });

  it('gives exactly the number of residents asked for', () => {
    expect(generateCommunity({ seed: 1, residents: 500, buildings: 5, today: TODAY })).toHaveLength(500);
    expect(generateCommunity({ seed: 1, residents: 1, buildings: 1, today: TODAY })).toHaveLength(1);
    expect(generateCommunity({ seed: 1, residents: 0, today: TODAY })).toEqual([]);
  });

  it('is built in well under a second', () => {
    const start = performance.now();
    generateCommunity({ seed: 7, today: TODAY });
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('is the same community for the same seed and a different one for another seed', () => {
    expect(generateCommunity({ seed: 42, today: TODAY })).toEqual(community);
    const other = generateCommunity({ seed: 43, today: TODAY });
    expect(other).not.toEqual(community);
    expect(other.map((e) => e.idNumber)).not.toEqual(community.map((e) => e.idNumber));
    // without `today` it is still deterministic for a seed (within the same day)
    expect(generateCommunity({ seed: 5, residents: 100 })).toEqual(generateCommunity({ seed: 5, residents: 100 }));
  });
});

describe('buildings, units and rooms', () => {
  it('are plain strings like "3", "2", "501" with 2–4 units, up to 18 floors and 2–4 rooms a floor', () => {
    for (const e of community) {
      expect(e.building).toMatch(/^\d+$/);
      expect(e.unit).toMatch(/^[1-4]$/);
      expect(e.room).toMatch(/^([1-9]|1[0-8])0[1-4]$/);
    }
  });

  it('households have 1–5 people, mostly 2–3, and some flats stay empty', () => {
    const sizes = households(community).map((h) => h.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
    const twoOrThree = sizes.filter((s) => s === 2 || s === 3).length;
    expect(twoOrThree / sizes.length).toBeGreaterThan(0.5);
    for (const size of [1, 2, 3, 4, 5]) expect(sizes).toContain(size);
    // some room number below the highest one used on a floor is empty somewhere
    const occupied = new Set(community.map((e) => `${e.building}-${e.unit}-${e.room}`));
    const floorsOf = new Map<string, number>();
    for (const e of community) floorsOf.set(e.building, Math.max(floorsOf.get(e.building) ?? 0, Math.floor(Number(e.room) / 100)));
    let empty = 0;
    for (const [b, floors] of floorsOf) {
      for (let f = 1; f <= floors; f++) if (!occupied.has(`${b}-1-${f}01`)) empty++;
    }
    expect(empty).toBeGreaterThan(0);
  });
});

describe('residents', () => {
  it('all have valid, unique 18-digit ID numbers from Beijing or Shanghai', () => {
    for (const e of community) {
      expect(isValidIdNumber(e.idNumber), e.idNumber).toBe(true);
      expect(e.idNumber).toMatch(/^(11|31)01\d{2}/);
    }
    expect(new Set(community.map((e) => e.idNumber)).size).toBe(community.length);
  });

  it('IDs stay unique in a bigger community', () => {
    const big = generateCommunity({ seed: 3, residents: 6000, buildings: 30, today: TODAY });
    expect(new Set(big.map((e) => e.idNumber)).size).toBe(6000);
    expect(big.every((e) => isValidIdNumber(e.idNumber))).toBe(true);
  });

  it('have Chinese names of 2–4 characters, common surnames first', () => {
    for (const e of community) expect(e.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
    const counts = new Map<string, number>();
    for (const e of community) counts.set(e.name[0], (counts.get(e.name[0]) ?? 0) + 1);
    const top3 = [...counts]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([s]) => s);
    expect(top3.filter((s) => '王李张'.includes(s)).length).toBeGreaterThanOrEqual(2);
    expect(community.some((e) => /^(欧阳|司马|上官|诸葛|司徒)/.test(e.name))).toBe(true);
  });

  it('are aged 0–90, with about as many men as women (17th digit odd for men)', () => {
    const ages = community.map(ageOf);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(90);
    const men = community.filter(isMale).length / community.length;
    expect(men).toBeGreaterThan(0.4);
    expect(men).toBeLessThan(0.6);
  });

  it('children live with an adult at least 20 years older', () => {
    for (const h of households(community)) {
      for (const child of h.filter((e) => ageOf(e) < 18)) {
        expect(
          h.some((e) => ageOf(e) >= ageOf(child) + 20),
          `${child.name} in ${child.building}-${child.unit}-${child.room}`,
        ).toBe(true);
      }
    }
  });

  it('couples are a man and a woman', () => {
    // the first two adults in a household of three or more are the parents
    for (const h of households(community).filter((h) => h.length >= 3)) {
      const [a, b] = h;
      if (ageOf(a) >= 18 && ageOf(b) >= 18) expect(isMale(a)).not.toBe(isMale(b));
    }
  });
});

describe('phones', () => {
  it('are valid 11-digit mobiles when present', () => {
    for (const e of community.filter((e) => e.phone)) {
      expect(e.phone).toMatch(/^1[3-9]\d{9}$/);
      expect(isValidPhone(e.phone)).toBe(true);
    }
  });

  it('most working-age adults have one, children none, and some elderly none', () => {
    const adults = community.filter((e) => ageOf(e) >= 18 && ageOf(e) < 70);
    expect(adults.filter((e) => e.phone).length / adults.length).toBeGreaterThan(0.85);
    expect(community.filter((e) => ageOf(e) < 18 && e.phone)).toEqual([]);
    expect(community.some((e) => ageOf(e) >= 80 && !e.phone)).toBe(true);
  });
});

describe('tags', () => {
  it('elderly for everyone 80 and over, infant for everyone under 3, and only them', () => {
    for (const e of community) {
      expect(e.tags.includes('elderly'), e.idNumber).toBe(ageOf(e) >= 80);
      expect(e.tags.includes('infant'), e.idNumber).toBe(ageOf(e) < 3);
    }
  });

  it('the tag mix a real day needs is present', () => {
    const count = (t: string) => community.filter((e) => (e.tags as string[]).includes(t)).length;
    for (const t of ['elderly', 'infant', 'quarantine', 'sealed', 'pregnant', 'disabled']) expect(count(t), t).toBeGreaterThan(0);
    expect(count('immobile') + count('bedridden')).toBeGreaterThan(0);
    expect(count('quarantine') / community.length).toBeGreaterThan(0.003);
    expect(count('quarantine') / community.length).toBeLessThan(0.03);
    expect(count('walk-in')).toBe(0);
  });

  it('immobile and bedridden residents are elderly; pregnant residents are women of 22–40', () => {
    for (const e of community) {
      if (e.tags.includes('immobile') || e.tags.includes('bedridden')) expect(e.tags).toContain('elderly');
      if (e.tags.includes('pregnant')) {
        expect(isMale(e)).toBe(false);
        expect(ageOf(e)).toBeGreaterThanOrEqual(22);
        expect(ageOf(e)).toBeLessThanOrEqual(40);
      }
    }
  });

  it('building 20 is sealed (封控) as a whole, and no other building', () => {
    const sealed = community.filter((e) => e.tags.includes('sealed'));
    expect(sealed.length).toBeGreaterThan(0);
    expect(new Set(sealed.map((e) => e.building))).toEqual(new Set(['20']));
    expect(community.filter((e) => e.building === '20').every((e) => e.tags.includes('sealed'))).toBe(true);
  });

  it('with fewer buildings the last one is sealed', () => {
    const small = generateCommunity({ seed: 9, buildings: 4, residents: 300, today: TODAY });
    expect(new Set(small.filter((e) => e.tags.includes('sealed')).map((e) => e.building))).toEqual(new Set(['4']));
  });
});

describe('the demo roster imports cleanly', () => {
  it('every entry passes validateRosterRow when written as a Chinese-headed sheet', () => {
    const map = mapHeaders(['姓名', '身份证号', '手机号', '楼栋', '单元', '房号', '标签']);
    expect(map.missing).toEqual([]);
    for (const e of community) {
      const tagCell = e.tags.join('、');
      expect(parseTags(tagCell).unknown).toEqual([]);
      const r = validateRosterRow([e.name, e.idNumber, e.phone, e.building, e.unit, e.room, tagCell], map);
      expect(r).toEqual({ ok: true, entry: e, warnings: [] });
    }
  });
});
