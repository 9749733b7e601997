import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
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

/** The file's path below the bundled library, with '/' separators; undefined for a file outside it. */
export function pathInLibrary(file: string): string | undefined {
  const path = relative(bundledScenariosDir(), resolve(file));
  return path.startsWith('..') || isAbsolute(path) ? undefined : path.split(sep).join('/');
}

/**
 * The id a file of the bundled library has when it gives none: its path below the library, dots
 * for folders, without the extension (okta/oin/create-user.yaml → okta.oin.create-user). Files
 * elsewhere give their id: a path below whichever folder was named to run would change with it.
 */
export function derivedId(file: string): string | undefined {
  return pathInLibrary(file)?.replace(YAML_FILE, '').split('/').join('.');
}

/**
 * The folders a file of the bundled library sits in, below the library (okta/oin/create-user.yaml
 * → okta, oin; rfc7644/filter/x.yaml → rfc7644, filter): its implicit tags, and for a protocol
 * scenario its suite and area. Empty for a file outside the library, as for `derivedId`.
 */
export function libraryFolders(file: string): string[] {
  return pathInLibrary(file)?.split('/').slice(0, -1) ?? [];
}

/** What to load when no path is given: the shipped library, relative to the working folder when it is inside it (shorter messages). */
export function defaultScenarioPaths(): string[] {
  const dir = bundledScenariosDir();
  const fromHere = relative(process.cwd(), dir);
  return [fromHere && !fromHere.startsWith('..') && !isAbsolute(fromHere) ? fromHere : dir];
}
