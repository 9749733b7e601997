/** `scimulator run --profile` from the command line: its mistakes exit 2 before anything is sent, and a run names the profile. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from '../../cli/compiled-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-claim-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('run --profile', () => {
  it('stops at a mistake in the profile with its file and line, exit code 2, running nothing', async () => {
    await writeFile(join(dir, 'old.yaml'), '# the former way\nfeatures: { bulk: false }\n');
    const { code, stdout, stderr } = await cli(['run', 'scenarios/rfc7644/users', '--profile', join(dir, 'old.yaml')], ROOT);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${join(dir, 'old.yaml')}:2: features: "features:" is now "supports:": rename it, e.g. supports: { bulk: false, sort: true }\n`);
  });

  it('refuses a profile that is neither bundled nor a file, and --lenient beside it without a target', async () => {
    const unknown = await cli(['run', '--profile', 'no-serch'], ROOT);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('--profile no-serch is neither a bundled profile nor a file: did you mean no-search?\n');
    const both = await cli(['run', '--profile', 'strict', '--lenient'], ROOT);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/^Give --profile or --lenient, not both/);
  });

  it('runs the embedded server with the profile, skipping what it does not claim, and names it', async () => {
    const { code, stdout } = await cli(['run', 'scenarios/rfc7644/search', '--profile', 'variations/no-search', '--out', join(dir, 'out')], ROOT);
    expect(code).toBe(0);
    expect(stdout).toMatch(/users-filter — .* \(skipped: profile no-search has no POST \/Users\/\.search\)/);
    expect(stdout).toMatch(/- profile no-search has no POST \/\.search — \d+ scenarios? skipped/);
    expect(stdout).toContain('Target: the embedded reference server (profile no-search)');
    expect(stdout).toMatch(/\n\d+ passed, 0 failed, \d+ skipped\n$/);
  });
});
