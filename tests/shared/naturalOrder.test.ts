import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../shared/naturalOrder';

describe('natural order of buildings and rooms', () => {
  it('puts 2 before 10 and 11, as a person counts', () => {
    expect(['1', '10', '11', '2'].sort(naturalCompare)).toEqual(['1', '2', '10', '11']);
  });

  it('orders households by building, unit and room numbers', () => {
    expect(['3-2-1001', '3-10-101', '3-2-501', '10-1-101'].sort(naturalCompare)).toEqual(['3-2-501', '3-2-1001', '3-10-101', '10-1-101']);
  });

  it('keeps Chinese building names together after the numbered ones', () => {
    const sorted = ['东区', '2', '12'].sort(naturalCompare);
    expect(sorted.slice(0, 2)).toEqual(['2', '12']);
  });
});
