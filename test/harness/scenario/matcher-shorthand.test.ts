import { describe, expect, it } from 'vitest';
import { toMatcher } from '../../../harness/scenario/matcher-shorthand.js';

describe('matcher shorthand', () => {
  it('reads a plain value as equals, also inside not', () => {
    expect(toMatcher('x')).toEqual({ equals: 'x' });
    expect(toMatcher({ not: 'x' })).toEqual({ not: { equals: 'x' } });
    expect(toMatcher({ not: { contains: 'a' } })).toEqual({ not: { contains: 'a' } });
    expect(toMatcher({ containsAll: [1, 2] })).toEqual({ containsAll: [1, 2] });
    expect(toMatcher({ type: 'work', value: 'x' })).toEqual({ equals: { type: 'work', value: 'x' } });
  });
});
