import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseShard, selectionOf, shardOf } from '../../harness/cli/shard.js';
import { mergeResults, shardSize } from '../../harness/runner/merge.js';
import type { RunResult } from '../../harness/result.js';
import { cli, ROOT } from './compiled-cli.js';

const items = ['c', 'a', 'e', 'b', 'd', 'f', 'g'].map((id) => ({ id }));

describe('shards', () => {
  it('split a selection into N disjoint parts that together are the whole, by sorted id', () => {
    const parts = [1, 2, 3].map((index) => shardOf(items, { index, count: 3 }).map((i) => i.id));
    expect(parts).toEqual([['a', 'd', 'g'], ['e', 'b'], ['c', 'f']]);
    expect(parts.flat().sort()).toEqual(items.map((i) => i.id).sort());
  });

  it('do not depend on the order scenarios were loaded in', () => {
    const reversed = [...items].reverse();
    expect(shardOf(reversed, { index: 2, count: 3 }).map((i) => i.id).sort()).toEqual(['b', 'e']);
  });

  it('parse K/N', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    expect(() => parseShard('5/4')).toThrow(/K must be between 1 and 4/);
    expect(() => parseShard('-1/4')).toThrow(/must look like K\/N/);
  });

  it('have the sizes merging counts missing scenarios with', () => {
    for (let size = 0; size <= 9; size++) {
      for (let count = 1; count <= 4; count++) {
        for (let index = 1; index <= count; index++) {
          const selection = Array.from({ length: size }, (_, i) => ({ id: `s${i}` }));
          expect(shardSize(size, index, count), `${index}/${count} of ${size}`).toBe(shardOf(selection, { index, count }).length);
        }
      }
    }
  });
});

describe('the selection a run records', () => {
  const flags = { files: ['/s'], grep: 'user', tags: ['okta'], excludeTags: ['strict'] };

  it('is the same for every shard of one selection but the shard, and says which shards a shard lacks', () => {
    const [one, two, three] = [1, 2, 3].map((index) => selectionOf(flags, items, { index, count: 3 }));
    expect(one).toMatchObject({ ...flags, shard: { index: 1, count: 3 }, size: 7, fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(two!.fingerprint).toBe(one!.fingerprint);
    expect(selectionOf(flags, [...items].reverse(), { index: 3, count: 3 })).toEqual(three);
    expect(one!.notices).toEqual([
      'Shards 2 and 3 of 3 are not in this report: 4 of the 7 scenarios selected with --grep "user" --tag okta --exclude-tag strict. ' +
        'To report on every scenario, give `scimulator report` the result.json of every shard.',
    ]);
  });

  it('differs in fingerprint for another selection, and has no notice unsharded or when the other shards are empty', () => {
    expect(selectionOf(flags, items.slice(1)).fingerprint).not.toBe(selectionOf(flags, items).fingerprint);
    expect(selectionOf({ files: ['/s'], tags: [], excludeTags: [] }, items)).toEqual({ files: ['/s'], size: 7, fingerprint: expect.any(String) });
    expect(selectionOf(flags, items.slice(0, 1), { index: 1, count: 2 }).notices).toBeUndefined();
  });
});

describe('scimulator run --shard, through the compiled CLI', () => {
  const DISCOVERY = join(ROOT, 'scenarios/rfc7644/discovery');
  // Three scenarios: shard 1/2 holds two, shard 2/2 one.
  const SELECTION = ['--tag', 'schemas', '--exclude-tag', 'strict'];
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scimulator-shard-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('records the selection and the shard in result.json, as docs/run-result.schema.json says, and its console says which shards it lacks', async () => {
    const outs = [1, 2].map((k) => join(dir, `shard-${k}`));
    const runs = await Promise.all(outs.map((out, i) => cli(['run', DISCOVERY, ...SELECTION, '--shard', `${i + 1}/2`, '--reporter', 'console,json', '--out', out], dir)));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const [one, two] = outs.map((out) => JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult);
    expect(one!.selection).toMatchObject({ files: [DISCOVERY], tags: ['schemas'], excludeTags: ['strict'], shard: { index: 1, count: 2 }, size: 3 });
    expect(two!.selection).toMatchObject({ shard: { index: 2, count: 2 }, size: 3, fingerprint: one!.selection.fingerprint });
    expect([one!.totals.total, two!.totals.total]).toEqual([2, 1]);
    expect(runs[0]!.stdout).toContain('⚠ Shard 2 of 2 is not in this report: 1 of the 3 scenarios selected with --tag schemas --exclude-tag strict.');
    expect(runs[1]!.stdout).toContain('⚠ Shard 1 of 2 is not in this report: 2 of the 3 scenarios selected');

    const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'docs/run-result.schema.json'), 'utf8')));
    for (const result of [one, two, mergeResults([{ file: 'one', result: one! }, { file: 'two', result: two! }])]) {
      expect(validate(result), ajv.errorsText(validate.errors)).toBe(true);
    }
    // Re-read alone, a shard is unchanged: `report` renders it as `run` did.
    expect(mergeResults([{ file: 'one', result: one! }])).toEqual(one);
  });
});
