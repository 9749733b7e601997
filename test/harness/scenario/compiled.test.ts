import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledScenariosDir } from '../../../harness/scenario/files.js';
import { compileBundledLibrary, loadScenarios } from '../../../harness/scenario/load.js';
import { IDPS } from '../../../harness/idp/registry.js';

/**
 * The bundled library is compiled at build time, so that a run skips parsing its YAML. What a
 * run loads must be exactly what parsing gives, whatever path names the files, and a compiled
 * entry must be used only for the very text it was compiled from, by the very loader.
 */
describe('the compiled scenario library', () => {
  let dir: string;
  let library: string;
  const NONE = '/nonexistent/library.json';
  const OKTA_FILE = join(bundledScenariosDir(), 'okta', 'oin', 'import-small-pages.yaml');
  const OKTA_KEY = 'okta/oin/import-small-pages.yaml';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-compiled-'));
    library = join(dir, 'library.json');
    const { compiled, leftOut } = await compileBundledLibrary(IDPS, library);
    expect(compiled).toBeGreaterThan(300);
    expect(leftOut).toBe(0);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function tamper(change: (json: any) => void): Promise<string> {
    const json = JSON.parse(await readFile(library, 'utf8'));
    change(json);
    const path = join(dir, `tampered-${Math.random().toString(36).slice(2)}.json`);
    await writeFile(path, JSON.stringify(json));
    return path;
  }

  it('loads what parsing loads, sources included, by absolute or relative paths', async () => {
    for (const path of [bundledScenariosDir(), relative(process.cwd(), bundledScenariosDir())]) {
      const parsed = await loadScenarios([path], { idps: IDPS, compiledLibrary: NONE });
      const compiled = await loadScenarios([path], { idps: IDPS, compiledLibrary: library });
      expect(parsed.errors).toEqual([]);
      expect(compiled.errors).toEqual([]);
      expect(JSON.stringify(compiled.scenarios)).toBe(JSON.stringify(parsed.scenarios));
      expect(compiled.scenarios.find((s) => s.id === 'okta.oin.import-small-pages')!.steps[0]!.source.file).toBe(
        path === bundledScenariosDir() ? OKTA_FILE : relative(process.cwd(), OKTA_FILE),
      );
    }
  });

  it('is what a run uses for an unchanged file', async () => {
    const altered = await tamper((json) => (json.files[OKTA_KEY].scenario.title = 'from the compiled library'));
    const { scenarios } = await loadScenarios([OKTA_FILE], { idps: IDPS, compiledLibrary: altered });
    expect(scenarios[0]!.title).toBe('from the compiled library');
  });

  it('is ignored for a file whose text changed since the build', async () => {
    const altered = await tamper((json) => {
      json.files[OKTA_KEY].scenario.title = 'stale';
      json.files[OKTA_KEY].sha256 = '0'.repeat(64);
    });
    const { scenarios } = await loadScenarios([OKTA_FILE], { idps: IDPS, compiledLibrary: altered });
    expect(scenarios[0]!.title).not.toBe('stale');
    expect(scenarios[0]!.title).toMatch(/^Import pages of count=100/);
  });

  it('is ignored whole when the loader changed since the build', async () => {
    const altered = await tamper((json) => {
      json.files[OKTA_KEY].scenario.title = 'stale';
      json.fingerprint = 'an older loader';
    });
    const { scenarios } = await loadScenarios([OKTA_FILE], { idps: IDPS, compiledLibrary: altered });
    expect(scenarios[0]!.title).not.toBe('stale');
  });

  it('still reports an id that a scenario outside the library shares with one in it', async () => {
    const own = join(dir, 'mine.yaml');
    await writeFile(own, 'id: okta.oin.import-small-pages\ntitle: mine\nrefs: ["RFC 7644 §3.3"]\nsteps:\n  - request: { method: GET, path: /Users }\n    expect: { status: 200 }\n');
    const { errors } = await loadScenarios([OKTA_FILE, own], { idps: IDPS, compiledLibrary: library });
    expect(errors.map((e) => `${resolve(e.file)}:${e.line}`).sort()).toEqual([`${OKTA_FILE}:2`, `${own}:1`].sort());
    expect(errors.every((e) => e.message.includes('ids must be unique'))).toBe(true);
  });
});
