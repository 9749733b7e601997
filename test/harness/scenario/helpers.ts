import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { IDPS } from '../../../harness/idp/registry.js';
import { loadScenarios } from '../../../harness/scenario/load.js';

/** A fresh temporary folder per test, removed afterwards; `write` puts files in it. */
export function tempFolder() {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scimulator-scenarios-'));
    made.push(dir);
    const write = async (name: string, text: string) => {
      const file = join(dir, name);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
      return file;
    };
    return { dir, write };
  };
}

/** Loads one file's text in a new folder of `folder` and answers its errors as `name:line:col: message` lines. */
export async function loadErrors(folder: ReturnType<typeof tempFolder>, text: string, name = 'bad.yaml'): Promise<string[]> {
  const { dir, write } = await folder();
  await write(name, text);
  const { errors } = await loadScenarios([dir], { idps: IDPS });
  return errors.map((e) => String(e).slice(dir.length + 1));
}

/** A valid raw-protocol scenario with the given id. */
export function minimalScenario(id: string): string {
  return [`id: ${id}`, 'title: A title', 'refs: ["RFC 7644 §4"]', 'steps:', '  - request: { method: GET, path: /ServiceProviderConfig }', ''].join('\n');
}
