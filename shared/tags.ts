// Resident tags. Each tag decides how a person is sampled or whether they get priority.
export const TAGS = [
  'elderly',
  'immobile',
  'bedridden',
  'infant',
  'pregnant',
  'disabled',
  'quarantine',
  'sealed',
  'walk-in',
  // Pre-registered on /me, not on the roster: the sampler checks the ID card (staff confirm it).
  'unverified',
] as const;
export type Tag = (typeof TAGS)[number];

/** Words staff write in spreadsheets, mapped to tags. */
const ALIASES: Record<string, Tag> = {
  elderly: 'elderly',
  老人: 'elderly',
  老年人: 'elderly',
  高龄: 'elderly',
  独居老人: 'elderly',
  immobile: 'immobile',
  行动不便: 'immobile',
  失能: 'immobile',
  bedridden: 'bedridden',
  卧床: 'bedridden',
  长期卧床: 'bedridden',
  infant: 'infant',
  婴儿: 'infant',
  婴幼儿: 'infant',
  幼儿: 'infant',
  pregnant: 'pregnant',
  孕妇: 'pregnant',
  孕产妇: 'pregnant',
  disabled: 'disabled',
  残疾: 'disabled',
  残疾人: 'disabled',
  残障: 'disabled',
  quarantine: 'quarantine',
  隔离: 'quarantine',
  居家隔离: 'quarantine',
  重点人员: 'quarantine',
  单采: 'quarantine',
  sealed: 'sealed',
  封控: 'sealed',
  封控楼栋: 'sealed',
  封控区: 'sealed',
  'walk-in': 'walk-in',
  临时: 'walk-in',
  外来: 'walk-in',
  unverified: 'unverified',
  未核验: 'unverified',
};

// Own keys only: a cell word such as "constructor" must not find Object.prototype members.
const aliasOf = (word: string): Tag | undefined => (Object.hasOwn(ALIASES, word) ? ALIASES[word] : undefined);

/** Parses a tag cell such as "老人、行动不便" into tags; words it does not know are returned apart. */
export function parseTags(cell: string): { tags: Tag[]; unknown: string[] } {
  // Most rows have none: no words to split.
  if (!cell) return { tags: [], unknown: [] };
  const tags = new Set<Tag>();
  const unknown: string[] = [];
  for (const word of cell
    .split(/[,，、;；/|\s]+/)
    .map((w) => w.trim())
    .filter(Boolean)) {
    const tag = aliasOf(word.toLowerCase()) ?? aliasOf(word);
    if (tag) tags.add(tag);
    else unknown.push(word);
  }
  return { tags: [...tags], unknown };
}

/** Green-channel (绿色通道) groups are called first and marked for kiosks and tablets (not on the public display). */
export const PRIORITY_TAGS: readonly Tag[] = ['elderly', 'pregnant', 'disabled'];

export function hasPriority(tags: readonly Tag[]): boolean {
  return tags.some((t) => PRIORITY_TAGS.includes(t));
}
