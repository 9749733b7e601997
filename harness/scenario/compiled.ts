import { hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledProfileNames } from '../../reference-server/profile/load.js';
import { assignKey } from '../../scim/schema/keys.js';
import type { Scenario, SourceRef } from '../types.js';
import { packageDir, pathInLibrary } from './files.js';
import type { IdpDescriptions } from './idp-description.js';

/**
 * The bundled scenario library, compiled when the package is built (`npm run build`): every
 * file's Scenario, keyed by the hash of the file's text, so that a run need not parse 300 YAML
 * files (about a second of a cold process) to learn what they say. A file whose text changed,
 * or a loader that changed since the build (its fingerprint), is simply parsed as usual.
 */
export interface CompiledLibrary {
  format: 1;
  fingerprint: string;
  /** By path relative to the library folder, with '/' separators. */
  files: Record<string, { sha256: string; scenario: Scenario; idSource: SourceRef }>;
}

/** Stands for the file's path in the stored SourceRefs: the same file is found by another path on each machine. */
const FILE = '\u0000scenario-file';

const HERE = dirname(fileURLToPath(import.meta.url));
/** Where the build writes it: next to the compiled loader, in dist/, so that it ships with it. */
export const LIBRARY_FILE = join(HERE, 'library.json');

/**
 * What the loader's verdict on a file depends on besides the file: its own code, the IdPs it
 * checks scenarios for (their descriptions, and the simulators' code that reads settings), the
 * fault checker and the bundled profiles a `target:` names, and the package's dependency versions
 * (yaml, ajv).
 */
function loaderFingerprint(idps: IdpDescriptions): string {
  const code = (dir: string, name?: string, deep = false): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return deep ? code(path, name, deep) : [];
        const wanted = /\.[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts') && (name === undefined || entry.name.replace(/\.[jt]s$/, '') === name);
        return wanted ? [readFileSync(path, 'utf8')] : [];
      });
  // The loader's own folder, and what its checks use from elsewhere in the harness.
  const parts = [
    ...code(HERE),
    ...code(join(HERE, '..', 'steps'), 'json-path'),
    ...code(join(HERE, '..', 'idp'), undefined, true),
    ...code(join(HERE, '..', '..', 'reference-server', 'faults'), 'check'),
    bundledProfileNames().join(','),
    JSON.stringify(idps),
    readFileSync(join(packageDir(), 'package.json'), 'utf8'),
  ];
  return hash('sha256', parts.join('\u0000'));
}

/** Reads the compiled library when it was built by this very loader, for these IdPs; undefined otherwise. */
export function readCompiledLibrary(idps: IdpDescriptions, path = LIBRARY_FILE): CompiledLibrary | undefined {
  let library: CompiledLibrary;
  try {
    library = JSON.parse(readFileSync(path, 'utf8')) as CompiledLibrary;
  } catch {
    return undefined;
  }
  return library.format === 1 && library.fingerprint === loaderFingerprint(idps) ? library : undefined;
}

/** The compiled verdict on `file`, when `text` is what was compiled; every SourceRef names `file` as given. */
export function compiledScenario(library: CompiledLibrary, file: string, text: string): { scenario: Scenario; idSource: SourceRef } | undefined {
  const key = pathInLibrary(file);
  const entry = key === undefined ? undefined : library.files[key];
  if (!entry || entry.sha256 !== hash('sha256', text)) return undefined;
  return { scenario: withFile(entry.scenario, file), idSource: withFile(entry.idSource, file) };
}

/** A copy of `value` with every FILE placeholder replaced by `file`. */
function withFile<T>(value: T, file: string): T {
  if (value === FILE) return file as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withFile(item, file)) as T;
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) assignKey(out, key, withFile(item, file));
  return out as T;
}

/** Compiles the bundled library from scenarios that loaded without errors; returns how many files it holds. */
export async function writeCompiledLibrary(loaded: readonly { file: string; text: string; scenario: Scenario; idSource: SourceRef }[], idps: IdpDescriptions, path = LIBRARY_FILE): Promise<number> {
  const files: CompiledLibrary['files'] = {};
  for (const { file, text, scenario, idSource } of loaded) {
    const key = pathInLibrary(file);
    if (key === undefined) continue;
    const stored = JSON.parse(JSON.stringify({ scenario, idSource }), (name: string, value: unknown) => (name === 'file' && value === file ? FILE : value));
    files[key] = { sha256: hash('sha256', text), ...stored };
  }
  const library: CompiledLibrary = { format: 1, fingerprint: loaderFingerprint(idps), files };
  await writeFile(path, JSON.stringify(library));
  return Object.keys(files).length;
}
