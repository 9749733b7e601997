import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ScenarioPathError } from './errors.js';

const YAML_FILE = /\.ya?ml$/i;

/**
 * The scenario files named by `paths`: files as given, folders searched recursively for
 * `*.yaml` / `*.yml` (skipping dot-folders and node_modules); sorted, each file once.
 * Throws `ScenarioPathError` for a path that does not exist.
 */
export async function findScenarioFiles(paths: string[]): Promise<string[]> {
  const { files, missing } = await collectScenarioFiles(paths);
  if (missing.length > 0) throw new ScenarioPathError(missing[0]!);
  return files;
}

/** `findScenarioFiles`, telling the paths that do not exist rather than throwing. */
export async function collectScenarioFiles(paths: string[]): Promise<{ files: string[]; missing: string[] }> {
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) missing.push(path);
    for (const file of !info ? [] : info.isDirectory() ? await yamlFilesUnder(path) : [path]) {
      const key = resolve(file);
      if (!found.has(key)) found.set(key, file);
    }
  }
  return { files: [...found.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), missing };
}

async function yamlFilesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    // Follow symbolic links: a scenario library may link in another one.
    const isDirectory = entry.isSymbolicLink() ? (await stat(path).catch(() => undefined))?.isDirectory() : entry.isDirectory();
    if (isDirectory) files.push(...(await yamlFilesUnder(path)));
    else if (YAML_FILE.test(entry.name)) files.push(path);
  }
  return files;
}

let packageRoot: string | undefined;

/** The installed package's folder: the nearest one above this module with a package.json (works from dist/ and from sources). */
export function packageDir(): string {
  if (packageRoot) return packageRoot;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  return (packageRoot = dir);
}

/** The scenario library shipped with the package. */
export function bundledScenariosDir(): string {
  return join(packageDir(), 'scenarios');
}

/** What to load when no path is given: the shipped library, relative to the working folder when it is inside it (shorter messages). */
export function defaultScenarioPaths(): string[] {
  const dir = bundledScenariosDir();
  const fromHere = relative(process.cwd(), dir);
  return [fromHere && !fromHere.startsWith('..') && !isAbsolute(fromHere) ? fromHere : dir];
}
