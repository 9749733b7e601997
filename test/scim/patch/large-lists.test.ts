import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../scim/errors.js';
import { matchesValueFilter } from '../../../scim/filter/evaluate.js';
import { parseFilter } from '../../../scim/filter/parse.js';
import { applyPatch } from '../../../scim/patch/apply.js';
import { defineAttribute } from '../../../scim/schema/common.js';
import { groupModel, userModel } from '../../../scim/schema/index.js';
import type { JsonObject } from '../../../scim/schema/keys.js';
import type { AttributeDefinition } from '../../../scim/schema/types.js';
import { URN } from '../../../scim/schema/urns.js';
import { ElementIndex, sameElement } from '../../../scim/values/equal.js';

/**
 * Multi-valued add and `remove attr[value eq "…"]` use an index (ElementIndex) kept across a run
 * of operations. These tests hold it to the plain semantics: `sameElement` and the filter evaluator.
 */

const patch = (...Operations: unknown[]) => ({ schemas: [URN.patchOp], Operations });

/** A small deterministic PRNG (mulberry32), so that failures reproduce. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const emails = userModel.resolve({ attr: 'emails' })!.attribute;
const members = groupModel.resolve({ attr: 'members' })!.attribute;
const caseExactValue: AttributeDefinition = defineAttribute('codes', {
  type: 'complex',
  multiValued: true,
  subAttributes: [defineAttribute('value', { caseExact: true }), defineAttribute('type', {})],
});
const simple: AttributeDefinition = defineAttribute('tags', { multiValued: true });

const SAMPLES: unknown[] = [
  { value: 'a@x' },
  { value: 'A@X' },
  { value: 'a@x', type: 'work' },
  { value: 'a@x', type: 'WORK' },
  { value: 'a@x', type: 'home' },
  { Value: 'a@x' },
  { value: 'b@x', primary: true },
  { type: 'work' },
  { type: 'work', display: 'x' },
  {},
  { value: ['a@x'] },
  { value: null },
  { value: 1 },
  { value: '1' },
  { value: true },
  { value: 'true' },
  'a@x',
  'A@X',
  7,
  null,
];

describe('ElementIndex', () => {
  it.each([
    ['emails', emails],
    ['members', members],
    ['a caseExact value', caseExactValue],
    ['a simple multi-valued attribute', simple],
  ])('has() agrees with sameElement for %s', (_name, attribute) => {
    for (const a of SAMPLES) {
      const index = new ElementIndex(attribute, [a]);
      for (const b of SAMPLES) {
        expect(index.has(b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(sameElement(a, b, attribute));
      }
    }
  });

  it('candidates() includes every element a `value eq` filter matches', () => {
    for (const attribute of [emails, members, caseExactValue]) {
      const index = new ElementIndex(attribute, SAMPLES);
      for (const text of ['a@x', 'A@X', 'b@x', '1', 'true', '']) {
        const filter = parseFilter(`value eq ${JSON.stringify(text)}`);
        const matching = SAMPLES.filter((el) => matchesValueFilter(filter, el, attribute));
        const candidates = index.candidates(text);
        for (const el of matching) expect(candidates, `${attribute.name} ${text} ${JSON.stringify(el)}`).toContain(el);
      }
    }
  });

  it('delete() forgets one occurrence', () => {
    const a = { value: 'a@x' };
    const b = { value: 'A@x' };
    const index = new ElementIndex(emails, [a, b]);
    index.delete(a);
    expect(index.has({ value: 'a@X' })).toBe(true);
    expect(index.candidates('a@x')).toEqual([b]);
    index.delete(b);
    expect(index.has({ value: 'a@X' })).toBe(false);
    index.delete(b);
    expect(index.candidates('a@x')).toEqual([]);
  });
});

/** Applies the operations one PATCH at a time: no state is shared between them. */
function oneByOne(resource: JsonObject, operations: unknown[], model = userModel): JsonObject | ScimError {
  let current = resource;
  for (const operation of operations) {
    try {
      current = applyPatch(current, patch(operation), model);
    } catch (error) {
      if (error instanceof ScimError) return error;
      throw error;
    }
  }
  return current;
}

function together(resource: JsonObject, operations: unknown[], model = userModel): JsonObject | ScimError {
  try {
    return applyPatch(resource, patch(...operations), model);
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
}

describe('a run of operations in one PATCH equals the same operations in separate PATCHes', () => {
  const user = { schemas: [URN.user], id: 'u', userName: 'u', meta: { resourceType: 'User' } };
  const addresses = ['a@x', 'A@X', 'b@x', 'c@x', 'C@x', 'd@x'];
  const types = ['work', 'home', 'WORK'];

  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('random run %i', (seed) => {
    const next = random(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    const operations: unknown[] = [];
    const length = 2 + Math.floor(next() * 12);
    for (let i = 0; i < length; i++) {
      const kind = next();
      if (kind < 0.35) {
        const count = 1 + Math.floor(next() * 3);
        // No `primary`: two of them fail validation after one operation, but not at the end of several.
        operations.push({ op: 'add', path: 'emails', value: Array.from({ length: count }, () => ({ value: pick(addresses), type: pick(types) })) });
      } else if (kind < 0.6) {
        operations.push({ op: 'remove', path: `emails[value eq "${pick(addresses)}"]` });
      } else if (kind < 0.7) {
        operations.push({ op: 'replace', path: `emails[value eq "${pick(addresses)}"].value`, value: pick(addresses) });
      } else if (kind < 0.78) {
        operations.push({ op: 'replace', path: 'emails.value', value: pick(addresses) });
      } else if (kind < 0.84) {
        operations.push({ op: 'remove', path: `emails[type eq "${pick(types)}"]` });
      } else if (kind < 0.9) {
        operations.push({ op: 'add', value: { emails: [{ value: pick(addresses) }] } });
      } else if (kind < 0.95) {
        operations.push({ op: 'replace', path: 'emails', value: [{ value: pick(addresses) }] });
      } else {
        operations.push({ op: 'remove', path: 'emails' });
      }
    }
    const separate = oneByOne(user, operations);
    const joint = together(user, operations);
    if (separate instanceof ScimError) {
      expect(joint, JSON.stringify(operations)).toBeInstanceOf(ScimError);
      expect((joint as ScimError).scimType).toBe(separate.scimType);
    } else {
      expect(joint, JSON.stringify(operations)).toEqual(separate);
    }
  });

  it('member removals and additions on a group, one operation per member', () => {
    const group = { schemas: [URN.group], id: 'g', displayName: 'g', members: Array.from({ length: 50 }, (_, i) => ({ value: `m${i}`, type: 'User' })), meta: { resourceType: 'Group' } };
    const operations = [
      ...Array.from({ length: 20 }, (_, i) => ({ op: 'remove', path: `members[value eq "M${i * 2}"]` })),
      ...Array.from({ length: 10 }, (_, i) => ({ op: 'add', path: 'members', value: [{ value: `m${i}` }] })),
      { op: 'remove', path: 'members[value eq "m1"]' },
      { op: 'add', path: 'members', value: [{ value: 'M1' }] },
    ];
    const joint = together(group, operations, groupModel);
    expect(joint).toEqual(oneByOne(group, operations, groupModel));
    expect((joint as JsonObject).members).toHaveLength(50 - 20 + 5);
    // A removal that matches nothing is noTarget, as before.
    expect((together(group, [...operations, { op: 'remove', path: 'members[value eq "m0"]' }], groupModel) as ScimError).scimType).toBeUndefined();
    expect((together(group, [{ op: 'remove', path: 'members[value eq "m0"]' }, { op: 'remove', path: 'members[value eq "m0"]' }], groupModel) as ScimError).scimType).toBe('noTarget');
  });
});
