// The lab's result file: one row per tube code. Header and value words as labs write them.

export const TUBE_RESULTS = ['negative', 'pool-positive', 'positive', 'invalid'] as const;
export type TubeResult = (typeof TUBE_RESULTS)[number];

const HEADER_WORDS: Record<'tube' | 'result', readonly string[]> = {
  tube: [
    '试管编码',
    '试管编号',
    '试管码',
    '管码',
    '管号',
    '样本编号',
    '条码',
    'tube',
    'tubecode',
    'tube code',
    'tube_code',
    'barcode',
    'sample',
  ],
  result: ['结果', '检测结果', '核酸结果', 'result', 'results', 'test result'],
};

const VALUE_WORDS: Record<string, TubeResult> = {
  阴性: 'negative',
  negative: 'negative',
  neg: 'negative',
  '-': 'negative',
  混管阳性: 'pool-positive',
  混检阳性: 'pool-positive',
  混采阳性: 'pool-positive',
  'pool positive': 'pool-positive',
  'pool-positive': 'pool-positive',
  'pooled positive': 'pool-positive',
  阳性: 'positive',
  positive: 'positive',
  pos: 'positive',
  '+': 'positive',
  无效: 'invalid',
  不合格: 'invalid',
  样本不合格: 'invalid',
  invalid: 'invalid',
  重采: 'invalid',
};

const fold = (s: string) => s.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

/** The tube and result columns of a header row; a missing one is named in `missing`. */
export function resultColumns(headers: readonly string[]): { tube: number; result: number } | { missing: ('tube' | 'result')[] } {
  const find = (field: 'tube' | 'result') => headers.findIndex((h) => HEADER_WORDS[field].includes(fold(h)));
  const tube = find('tube');
  const result = find('result');
  const missing = (['tube', 'result'] as const).filter((_, i) => [tube, result][i] < 0);
  return missing.length ? { missing } : { tube, result };
}

export function parseResultValue(cell: string): TubeResult | null {
  const word = fold(cell);
  return Object.hasOwn(VALUE_WORDS, word) ? VALUE_WORDS[word] : null;
}

/** Tube codes as the kiosk stores them: trimmed, capitals, full-width folded. */
export function normalizeTubeCode(cell: string): string {
  return cell.normalize('NFKC').trim().toUpperCase();
}

/** What a resident's own result is this round, from their tubes (the retest tube, when there is one, decides). */
export const RESIDENT_STATUSES = ['not-sampled', 'pending', 'negative', 'retest-needed', 'resample-needed', 'positive'] as const;
export type ResidentStatus = (typeof RESIDENT_STATUSES)[number];

export interface SampleFacts {
  kind: 'pooled' | 'single';
  /** 0: the round's sample; 1, 2 …: retest samples after a positive pool or an invalid tube. */
  retest: number;
  result: TubeResult | null;
}

/** The sample that decides: the latest retest, else the round's own. */
export function latestSample<T extends SampleFacts>(samples: readonly T[]): T | undefined {
  return samples.reduce<T | undefined>((latest, s) => (!latest || s.retest > latest.retest ? s : latest), undefined);
}

export function residentStatus(samples: readonly SampleFacts[]): ResidentStatus {
  const latest = latestSample(samples);
  if (!latest) return 'not-sampled';
  switch (latest.result) {
    case null:
      return 'pending';
    case 'negative':
      return 'negative';
    case 'invalid':
      return 'resample-needed';
    case 'pool-positive':
      return latest.kind === 'single' ? 'positive' : 'retest-needed';
    case 'positive':
      return latest.kind === 'single' || latest.retest > 0 ? 'positive' : 'retest-needed';
  }
}

/** Why a tube's members must give a new single-tube sample, if they must. */
export type RetestReason = 'pool-positive' | 'invalid';

export function retestReasonFor(result: TubeResult, kind: 'pooled' | 'single'): RetestReason | null {
  if (result === 'invalid') return 'invalid';
  if (kind === 'pooled' && (result === 'pool-positive' || result === 'positive')) return 'pool-positive';
  return null;
}
