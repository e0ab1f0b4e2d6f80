import { idCheckChar } from '../../shared/idNumber';
import type { RosterEntry } from '../../shared/roster';
import { TAGS, type Tag } from '../../shared/tags';

// A made-up residential community (小区) for `npm run demo`: buildings of units and floors,
// households of one to five people with believable names, valid ID numbers, phones and tags.
// Nothing here is a real person: names, ID numbers and phones are drawn from a seeded PRNG.

export interface CommunityOptions {
  /** Same seed, same community (for a given `today`). */
  seed?: number;
  /** Number of buildings, named "1", "2" ...; the last one (building 20 by default) is sealed (封控). */
  buildings?: number;
  /** Exact number of residents. */
  residents?: number;
  /** The day ages are counted from (birth dates, elderly and infant tags); defaults to the current date. */
  today?: Date;
}

type Rng = () => number;

/** mulberry32: a tiny, fast 32-bit PRNG; good enough for demo data. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
const chance = (rng: Rng, p: number) => rng() < p;

function weighted<T>(table: readonly (readonly [T, number])[]): (rng: Rng) => T {
  const total = table.reduce((s, [, w]) => s + w, 0);
  return (rng) => {
    let r = rng() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return table[table.length - 1][0];
  };
}

// Surnames with their approximate share of the population (percent), plus a few compound surnames.
const surname = weighted<string>([
  ['王', 7.25],
  ['李', 7.19],
  ['张', 6.83],
  ['刘', 5.38],
  ['陈', 4.53],
  ['杨', 3.08],
  ['赵', 2.29],
  ['黄', 2.23],
  ['周', 2.12],
  ['吴', 2.05],
  ['徐', 1.67],
  ['孙', 1.54],
  ['胡', 1.31],
  ['朱', 1.26],
  ['高', 1.21],
  ['林', 1.18],
  ['何', 1.17],
  ['郭', 1.15],
  ['马', 1.05],
  ['罗', 0.86],
  ['梁', 0.83],
  ['宋', 0.74],
  ['郑', 0.72],
  ['谢', 0.68],
  ['韩', 0.62],
  ['唐', 0.61],
  ['冯', 0.6],
  ['于', 0.59],
  ['董', 0.58],
  ['萧', 0.55],
  ['程', 0.54],
  ['曹', 0.54],
  ['袁', 0.52],
  ['邓', 0.52],
  ['许', 0.51],
  ['傅', 0.5],
  ['沈', 0.49],
  ['曾', 0.48],
  ['彭', 0.47],
  ['吕', 0.46],
  ['苏', 0.45],
  ['卢', 0.44],
  ['蒋', 0.43],
  ['蔡', 0.42],
  ['贾', 0.36],
  ['丁', 0.35],
  ['魏', 0.34],
  ['薛', 0.33],
  ['叶', 0.32],
  ['阎', 0.31],
  ['潘', 0.3],
  ['杜', 0.29],
  ['戴', 0.28],
  ['夏', 0.27],
  ['钟', 0.26],
  ['汪', 0.25],
  ['田', 0.24],
  ['任', 0.23],
  ['姜', 0.22],
  ['范', 0.21],
  ['方', 0.2],
  ['石', 0.19],
  ['姚', 0.18],
  ['谭', 0.17],
  ['廖', 0.16],
  ['邹', 0.15],
  ['熊', 0.14],
  ['金', 0.13],
  ['陆', 0.12],
  ['郝', 0.11],
  ['欧阳', 0.2],
  ['司马', 0.1],
  ['上官', 0.1],
  ['诸葛', 0.08],
  ['司徒', 0.08],
]);

type Sex = 'male' | 'female';

const GIVEN_CHARS: Record<Sex, string> = {
  male: '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林建国志文东海峰成博轩昊晨然睿泽洋亮斌阳',
  female: '芳娜敏静丽艳娟霞秀英玲婷雪慧红梅琳燕萍颖倩洁佳欣怡雨涵琪悦萱晶莉兰凤桂丹璐瑶',
};
// Whole given names typical of a generation, used now and then for colour.
const CLASSIC_NAMES: Record<'old' | 'young', Record<Sex, string[]>> = {
  old: {
    male: ['建国', '国强', '建华', '德明', '振华', '国庆', '卫东', '志刚', '保国', '长林'],
    female: ['秀英', '桂兰', '淑珍', '玉兰', '凤英', '秀兰', '桂英', '玉珍', '淑英', '丽华'],
  },
  young: {
    male: ['子轩', '浩然', '宇轩', '一鸣', '梓睿', '俊熙', '沐宸', '皓轩', '子墨', '奕辰'],
    female: ['梓涵', '雨萱', '一诺', '欣怡', '诗涵', '若汐', '语桐', '可馨', '思彤', '梓萱'],
  },
};

function givenName(rng: Rng, sex: Sex, age: number): string {
  const generation = age >= 60 ? 'old' : age <= 18 ? 'young' : null;
  if (generation && chance(rng, 0.35)) return pick(rng, CLASSIC_NAMES[generation][sex]);
  const chars = Array.from(GIVEN_CHARS[sex]);
  return chance(rng, 0.3) ? pick(rng, chars) : pick(rng, chars) + pick(rng, chars);
}

// Real district codes: Beijing (东城 西城 朝阳 丰台 石景山 海淀) and Shanghai (黄浦 徐汇 长宁 静安 普陀 杨浦 浦东).
const REGION_CODES = [
  '110101',
  '110102',
  '110105',
  '110106',
  '110107',
  '110108',
  '310101',
  '310104',
  '310105',
  '310106',
  '310107',
  '310110',
  '310115',
];

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '176',
  '177',
  '180',
  '181',
  '185',
  '186',
  '187',
  '188',
  '189',
  '199',
];

const DAY = 86_400_000;

/** A birth date making the person exactly `age` years old on `today` (UTC midnight). */
function birthDate(rng: Rng, age: number, today: Date): Date {
  const anniversary = Date.UTC(today.getUTCFullYear() - age, today.getUTCMonth(), today.getUTCDate());
  return new Date(anniversary - int(rng, 1, 364) * DAY);
}

function ageOn(birth: Date, today: Date): number {
  const age = today.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birth.getUTCMonth() || (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate());
  return beforeBirthday ? age - 1 : age;
}

function ymd(d: Date): string {
  const p = (n: number, w: number) => String(n).padStart(w, '0');
  return p(d.getUTCFullYear(), 4) + p(d.getUTCMonth() + 1, 2) + p(d.getUTCDate(), 2);
}

/** A household member before names, IDs and tags are drawn. */
interface Member {
  sex: Sex;
  age: number;
  /** Shares this member's surname (children take the father's), else draws their own. */
  surnameOf?: number;
}

const householdSize = weighted<number>([
  [1, 12],
  [2, 30],
  [3, 32],
  [4, 16],
  [5, 10],
]);
const MEAN_HOUSEHOLD = 2.82;
const OCCUPANCY = 0.9;

/** Who lives in a flat: parents 30–60, children 0–18 (at least 20 years younger), grandparents 60–90. */
function household(rng: Rng, size: number): Member[] {
  const randomSex = (): Sex => (chance(rng, 0.5) ? 'male' : 'female');
  if (size === 1) {
    // someone living alone: a young adult or an older person (独居老人)
    return [{ sex: randomSex(), age: chance(rng, 0.55) ? int(rng, 22, 59) : int(rng, 60, 90) }];
  }
  if (size === 2 && chance(rng, 0.45)) {
    // an older couple whose children have moved out
    const age = int(rng, 60, 88);
    return [
      { sex: 'male', age },
      { sex: 'female', age: Math.max(60, Math.min(90, age + int(rng, -5, 3))) },
    ];
  }
  const fatherAge = int(rng, 30, 60);
  const members: Member[] = [];
  const singleParent = size === 2;
  if (singleParent) {
    members.push({ sex: randomSex(), age: fatherAge });
  } else {
    members.push({ sex: 'male', age: fatherAge });
    members.push({ sex: 'female', age: Math.max(30, Math.min(60, fatherAge + int(rng, -5, 2))) });
  }
  const youngestParent = Math.min(...members.map((m) => m.age));
  const oldestParent = Math.max(...members.map((m) => m.age));
  const children = size === 2 || size === 3 ? 1 : size === 4 ? (chance(rng, 0.6) ? 2 : 1) : chance(rng, 0.5) ? 2 : 1;
  for (let i = 0; i < children; i++) {
    members.push({ sex: randomSex(), age: int(rng, 0, Math.min(18, youngestParent - 20)), surnameOf: 0 });
  }
  const grandparents = size - members.length;
  const gpMin = Math.max(60, oldestParent + 20);
  const gpAge = () => int(rng, gpMin, 90);
  if (grandparents === 1) {
    // a widowed grandparent, more often a grandmother
    if (chance(rng, 0.6)) members.push({ sex: 'female', age: gpAge() });
    else members.push({ sex: 'male', age: gpAge(), surnameOf: 0 });
  } else if (grandparents === 2) {
    members.push({ sex: 'male', age: gpAge(), surnameOf: 0 });
    members.push({ sex: 'female', age: gpAge() });
  }
  return members;
}

interface Flat {
  building: number;
  unit: number;
  room: string;
}

/** Buildings of 2–4 units, 2–4 flats a floor, floors sized so the community holds about `residents`. */
function layout(rng: Rng, buildings: number, residents: number): { flats: Flat[]; grow: () => Flat[] } {
  const perBuilding = residents / MEAN_HOUSEHOLD / OCCUPANCY / buildings;
  const shapes = Array.from({ length: buildings }, () => {
    // Walk-ups of 6-7 floors and towers of up to 18; a tall building gets fewer flats a floor.
    const floors = chance(rng, 0.5) ? int(rng, 6, 7) : int(rng, 8, 18);
    const wanted = (perBuilding / floors) * (0.8 + 0.4 * rng());
    let best = { units: 2, roomsPerFloor: 2 };
    for (const units of [2, 3, 4]) {
      for (const roomsPerFloor of [2, 3, 4]) {
        const off = Math.abs(units * roomsPerFloor - wanted) + rng() * 0.5; // break ties at random
        if (off < Math.abs(best.units * best.roomsPerFloor - wanted)) best = { units, roomsPerFloor };
      }
    }
    return { ...best, floors };
  });
  const floorFlats = (building: number, floor: number): Flat[] => {
    const { units, roomsPerFloor } = shapes[building - 1];
    const flats: Flat[] = [];
    for (let unit = 1; unit <= units; unit++) {
      for (let r = 1; r <= roomsPerFloor; r++) flats.push({ building, unit, room: String(floor * 100 + r) });
    }
    return flats;
  };
  const flats: Flat[] = [];
  shapes.forEach((s, i) => {
    for (let floor = 1; floor <= s.floors; floor++) flats.push(...floorFlats(i + 1, floor));
  });
  // Only when asked for far more residents than 18-floor buildings hold: add a floor to each building.
  const grow = () => shapes.flatMap((s, i) => floorFlats(i + 1, ++s.floors));
  return { flats, grow };
}

function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** A believable community for `npm run demo`: deterministic for a seed. */
export function generateCommunity(opts: CommunityOptions = {}): RosterEntry[] {
  const seed = opts.seed ?? 20220401;
  const buildings = Math.max(1, Math.floor(opts.buildings ?? 20));
  const residents = Math.max(0, Math.floor(opts.residents ?? 3000));
  const now = opts.today ?? new Date();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const sealedBuilding = Math.min(20, buildings);
  const rng = mulberry32(seed);

  const { flats, grow } = layout(rng, buildings, residents);
  const order = shuffle(
    rng,
    flats.map((_, i) => i),
  );
  const households = new Map<number, Member[]>();
  let placed = 0;
  let cursor = 0;
  let skipEmpty = true;
  while (placed < residents) {
    if (cursor === order.length) {
      // Every flat looked at: fill the ones left empty, then (if still short) build higher.
      if (skipEmpty) skipEmpty = false;
      else {
        const start = flats.length;
        flats.push(...grow());
        order.push(
          ...shuffle(
            rng,
            flats.slice(start).map((_, i) => start + i),
          ),
        );
      }
      cursor = 0;
      continue;
    }
    const flat = order[cursor++];
    if (households.has(flat) || (skipEmpty && !chance(rng, OCCUPANCY))) continue;
    const members = household(rng, householdSize(rng)).slice(0, residents - placed);
    households.set(flat, members);
    placed += members.length;
  }

  const usedIds = new Set<string>();
  const idNumber = (sex: Sex, birth: Date, region: string): string => {
    for (;;) {
      const parity = sex === 'male' ? 2 * int(rng, 0, 4) + 1 : 2 * int(rng, 0, 4);
      const first17 = region + ymd(birth) + String(int(rng, 0, 99)).padStart(2, '0') + parity;
      const id = first17 + idCheckChar(first17);
      if (!usedIds.has(id)) {
        usedIds.add(id);
        return id;
      }
    }
  };
  const phone = (age: number): string => {
    const p = age < 18 ? 0 : age < 70 ? 0.96 : age < 80 ? 0.75 : 0.4;
    if (!chance(rng, p)) return '';
    return pick(rng, MOBILE_PREFIXES) + String(int(rng, 0, 99_999_999)).padStart(8, '0');
  };

  const entries: RosterEntry[] = [];
  for (const flatIndex of [...households.keys()].sort((a, b) => a - b)) {
    const flat = flats[flatIndex];
    const members = households.get(flatIndex)!;
    const homeRegion = pick(rng, REGION_CODES);
    const surnames: string[] = [];
    members.forEach((m, i) => {
      surnames[i] = m.surnameOf !== undefined && m.surnameOf < i ? surnames[m.surnameOf] : surname(rng);
      const birth = birthDate(rng, m.age, today);
      const age = ageOn(birth, today);
      const tags = new Set<Tag>();
      if (age >= 80) {
        tags.add('elderly');
        if (chance(rng, 0.15)) tags.add('immobile');
        else if (chance(rng, 0.06)) tags.add('bedridden');
      }
      if (age < 3) tags.add('infant');
      if (m.sex === 'female' && age >= 22 && age <= 40 && chance(rng, 0.04)) tags.add('pregnant');
      if (age >= 18 && chance(rng, 0.015)) tags.add('disabled');
      if (chance(rng, 0.01)) tags.add('quarantine');
      if (flat.building === sealedBuilding) tags.add('sealed');
      entries.push({
        name: surnames[i] + givenName(rng, m.sex, age),
        idType: 'resident-id',
        nationality: '',
        idNote: '',
        idNumber: idNumber(m.sex, birth, chance(rng, 0.7) ? homeRegion : pick(rng, REGION_CODES)),
        phone: phone(age),
        building: String(flat.building),
        unit: String(flat.unit),
        room: flat.room,
        tags: TAGS.filter((t) => tags.has(t)),
      });
    });
  }
  return entries;
}
