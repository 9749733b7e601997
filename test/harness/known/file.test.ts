import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseKnownFile } from '../../../harness/known/file.js';
import { knownSchemaText } from '../../../harness/known/write-schema.js';

const GOOD = `known:
  - scenario: rfc7644.filter.sw
    reason: the filter engine has no sw yet
    ticket: https://tracker.example.com/SCIM-12
    expires: 2026-12-31
  - scenario: okta.oin.deactivate-on-unassign
    check: PATCH /Users/{{id}}
    reason: deactivation lands next sprint
    owner: team-identity
    expires: 2027-01-15
`;

const mistake = (text: string) => {
  try {
    parseKnownFile(text, 'known.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no mistake found');
};

describe('parseKnownFile', () => {
  it('reads entries with the line each starts on, dates kept as written', () => {
    const entries = parseKnownFile(GOOD, 'known.yaml');
    expect(entries).toEqual([
      { scenario: 'rfc7644.filter.sw', reason: 'the filter engine has no sw yet', ticket: 'https://tracker.example.com/SCIM-12', expires: '2026-12-31', file: 'known.yaml', line: 2 },
      { scenario: 'okta.oin.deactivate-on-unassign', check: 'PATCH /Users/{{id}}', reason: 'deactivation lands next sprint', owner: 'team-identity', expires: '2027-01-15', file: 'known.yaml', line: 6 },
    ]);
  });

  it('names file:line and what to fix', () => {
    const entry = (lines: string) => `known:\n  - scenario: a.b\n    reason: why\n${lines}`;
    expect(mistake(entry('    owner: me\n'))).toBe('known.yaml:2: known[0]: missing expires: every entry says which scenario, why, and until when (expires: YYYY-MM-DD)');
    expect(mistake(entry('    expires: 2026-12-31\n'))).toBe('known.yaml:2: known[0]: give owner (who fixes it) or ticket (the URL that tracks it), or both');
    expect(mistake(entry('    owner: me\n    expires: 2026-02-30\n'))).toBe('known.yaml:5: known[0].expires: expires must be a date written YYYY-MM-DD (the last day the entry holds), got "2026-02-30"');
    expect(mistake(entry('    owner: me\n    expires: 31/12/2026\n'))).toMatch(/^known\.yaml:5: known\[0\]\.expires: expires must be a date/);
    expect(mistake(entry('    ticket: SCIM-12\n    expires: 2026-12-31\n'))).toBe('known.yaml:4: known[0].ticket: ticket must be an http(s) URL, got "SCIM-12"');
    expect(mistake(entry('    owner: me\n    expires: 2026-12-31\n    until: 2027-01-01\n'))).toBe(
      'known.yaml:6: known[0].until: unknown field "until": use scenario, check, reason, owner, ticket, expires',
    );
    expect(mistake(entry('    owner: me\n    expires: 2026-12-31\n    check: 12\n'))).toBe('known.yaml:6: known[0].check: check must be a non-empty text');
    expect(mistake('- scenario: a.b\n')).toBe('known.yaml:1: the file must hold `known:` and a list of entries (docs/known-failures.schema.json)');
    expect(mistake('known:\n  - scenario: [a\n')).toMatch(/^known\.yaml:\d+: /);
  });
});

describe('the README example', () => {
  it('is a valid known-failures file', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const example = /```yaml\n(# yaml-language-server: \$schema=\S*known-failures\.schema\.json\n[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(parseKnownFile(example!, 'README.md').map((e) => e.scenario)).toEqual(['rfc7644.filter.sw-string', 'okta.oin.deactivate-on-unassign']);
  });
});

describe('docs/known-failures.schema.json', () => {
  const schemaText = readFileSync(new URL('../../../docs/known-failures.schema.json', import.meta.url), 'utf8');

  it('is up to date: npx tsx harness/known/write-schema.ts writes it', () => {
    expect(schemaText).toBe(knownSchemaText());
  });

  it('accepts what the reader accepts, and refuses an entry without owner or ticket', () => {
    const validate = new Ajv2020({ strict: true, allErrors: true }).compile(JSON.parse(schemaText));
    expect(validate(parse(GOOD)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ known: [{ scenario: 'a.b', reason: 'why', expires: '2026-12-31' }] })).toBe(false);
  });
});
