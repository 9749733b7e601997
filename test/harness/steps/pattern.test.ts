import { describe, expect, it } from 'vitest';
import { matchPattern } from '../../../harness/steps/pattern.js';

const sent = {
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations: [
    { op: 'Replace', path: 'active', value: 'False' },
    { op: 'Add', path: 'emails[type eq "work"].value', value: 'ada@example.com' },
  ],
};
const match = (pattern: unknown, value: unknown = sent) => matchPattern(pattern, { found: true, value }, 'body');

describe('a pattern', () => {
  it('reads a mapping of matcher keys as a matcher at any depth, in mappings and lists', () => {
    expect(match({ Operations: [{ op: { equals: 'replace', ignoreCase: true } }, { value: { contains: '@example.com' }, path: { matches: '^emails\\[' } }] }).passed).toBe(true);
    expect(match({ schemas: { contains: 'urn:ietf:params:scim:api:messages:2.0:PatchOp' }, Operations: { length: 2 }, id: { absent: true } }).passed).toBe(true);
    expect(match({ absent: true }, undefined).passed).toBe(false);
    expect(matchPattern({ absent: true }, { found: false }, 'body').passed).toBe(true);
  });

  it('without matchers is { equals: pattern }: mappings partial with names ignoring case, lists element for element', () => {
    expect(match({ operations: [{ OP: 'Replace' }, {}] }).passed).toBe(true);
    expect(match({ Operations: [{ op: 'Replace' }] }).message).toBe(`expected body.Operations to have 1 elements, got 2: ${JSON.stringify(sent.Operations)}`);
    expect(match({ Operations: [{ op: 'replace' }, {}] }).message).toBe('expected body.Operations[0].op to equal "replace", got "Replace"');
  });

  it('says every place that failed, with what it expected and what was there', () => {
    const outcome = match({ Operations: [{ value: { not: 'False' } }, { value: { contains: 'babbage' }, op: { absent: true } }], schemas: 'x' });
    expect(outcome.passed).toBe(false);
    expect(outcome.message).toBe(
      [
        'expected body.Operations[0].value not to satisfy {"equals":"False"}, got "False"',
        'expected body.Operations[1].value to contain "babbage", got "ada@example.com"',
        'expected body.Operations[1].op to be absent, got "Add"',
        'expected body.schemas to equal "x", got ["urn:ietf:params:scim:api:messages:2.0:PatchOp"]',
      ].join('; '),
    );
  });

  it('keeps a matcher literal inside equals, as everywhere', () => {
    expect(match({ equals: { type: 'x' } }, { type: 'x' }).passed).toBe(true);
    expect(match({ equals: { type: 'x' } }, 'x').passed).toBe(false);
  });
});
