import { describe, expect, it } from 'vitest';
import {
  normalizeTubeCode,
  parseResultValue,
  residentStatus,
  resultColumns,
  retestReasonFor,
  type SampleFacts,
} from '../../shared/labResults';

describe("reading the lab's result file", () => {
  it('finds the tube and result columns under Chinese or English headers', () => {
    expect(resultColumns(['序号', '试管编码', '结果'])).toEqual({ tube: 1, result: 2 });
    expect(resultColumns(['管码', '检测结果'])).toEqual({ tube: 0, result: 1 });
    expect(resultColumns(['Result', 'Tube Code'])).toEqual({ tube: 1, result: 0 });
    expect(resultColumns(['ＴＵＢＥ', 'RESULT'])).toEqual({ tube: 0, result: 1 });
  });

  it('names the column that is missing', () => {
    expect(resultColumns(['试管编码', '备注'])).toEqual({ missing: ['result'] });
    expect(resultColumns(['姓名'])).toEqual({ missing: ['tube', 'result'] });
  });

  it('reads the words labs write for each result', () => {
    expect(['阴性', 'Negative', ' NEG '].map(parseResultValue)).toEqual(['negative', 'negative', 'negative']);
    expect(['混管阳性', '混检阳性', 'pool positive'].map(parseResultValue)).toEqual(['pool-positive', 'pool-positive', 'pool-positive']);
    expect(['阳性', 'positive'].map(parseResultValue)).toEqual(['positive', 'positive']);
    expect(['无效', '样本不合格', 'invalid'].map(parseResultValue)).toEqual(['invalid', 'invalid', 'invalid']);
  });

  it('refuses words it does not know, including object property names', () => {
    expect(parseResultValue('待定')).toBeNull();
    expect(parseResultValue('')).toBeNull();
    expect(parseResultValue('constructor')).toBeNull();
  });

  it('folds tube codes typed with full-width characters or lower case', () => {
    expect(normalizeTubeCode(' ｔ１２３４５６ ')).toBe('T123456');
  });
});

describe("a resident's own result", () => {
  const pooled = (result: SampleFacts['result']): SampleFacts => ({ kind: 'pooled', retest: 0, result });
  const retest = (result: SampleFacts['result'], attempt = 1): SampleFacts => ({ kind: 'single', retest: attempt, result });

  it('is "not sampled" before they were sampled and "pending" until the lab answers', () => {
    expect(residentStatus([])).toBe('not-sampled');
    expect(residentStatus([pooled(null)])).toBe('pending');
  });

  it('follows the pooled tube: negative clears, a positive pool asks for a retest', () => {
    expect(residentStatus([pooled('negative')])).toBe('negative');
    expect(residentStatus([pooled('pool-positive')])).toBe('retest-needed');
    expect(residentStatus([pooled('positive')])).toBe('retest-needed');
    expect(residentStatus([pooled('invalid')])).toBe('resample-needed');
  });

  it('then follows the retest tube, which decides', () => {
    expect(residentStatus([pooled('pool-positive'), retest(null)])).toBe('pending');
    expect(residentStatus([pooled('pool-positive'), retest('negative')])).toBe('negative');
    expect(residentStatus([pooled('pool-positive'), retest('positive')])).toBe('positive');
  });

  it('an invalid retest tube asks for another sample, and the second retest decides', () => {
    expect(residentStatus([pooled('pool-positive'), retest('invalid')])).toBe('resample-needed');
    expect(residentStatus([retest('negative', 2), pooled('pool-positive'), retest('invalid')])).toBe('negative');
  });

  it('a positive single tube (quarantined person) is positive at once', () => {
    expect(residentStatus([{ kind: 'single', retest: 0, result: 'positive' }])).toBe('positive');
  });

  it('sends members of a positive pool or an invalid tube to retest, never those of a negative or single positive tube', () => {
    expect(retestReasonFor('pool-positive', 'pooled')).toBe('pool-positive');
    expect(retestReasonFor('positive', 'pooled')).toBe('pool-positive');
    expect(retestReasonFor('invalid', 'single')).toBe('invalid');
    expect(retestReasonFor('negative', 'pooled')).toBeNull();
    expect(retestReasonFor('positive', 'single')).toBeNull();
  });
});
