import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LineCounter, parseDocument } from 'yaml';
import { ProfileError, readProfile, resolveProfile, type ProfileLookup, type ProfileSource } from '../../scim/profile/resolve.js';
import type { Profile, ProfileDocument } from '../../scim/profile/fields.js';

/*
 * Profiles from files: the bundled ones in the package's profiles/ folder, by name (strict,
 * lenient, patch-204, …), and any YAML file by path. `extends` names a bundled profile or a file
 * relative to the profile that extends it.
 */

/** The package's profiles/ folder, from the source tree (reference-server/profile) or from dist/. */
function findBundledDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = resolve(here, up, 'profiles');
    if (existsSync(join(dir, 'strict.yaml'))) return dir;
  }
  throw new Error(`the bundled profiles are missing: no profiles/strict.yaml above ${here}; reinstall scimulator`);
}

let bundledDir: string | undefined;
const BUNDLED_DIR = () => (bundledDir ??= findBundledDir());

/** Bundled profile name → file: profiles/NAME.yaml, then profiles/variations/NAME.yaml. */
function bundledFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of [BUNDLED_DIR(), join(BUNDLED_DIR(), 'variations')]) {
    if (!existsSync(dir)) continue;
    // By name, so that postman comes before postman-oas (the file names sort the other way).
    const names = readdirSync(dir).filter((file) => file.endsWith('.yaml')).map((file) => basename(file, '.yaml'));
    for (const name of names.sort()) if (!files.has(name)) files.set(name, join(dir, `${name}.yaml`));
  }
  return files;
}

let bundled: Map<string, string> | undefined;

/** The names of the bundled profiles: strict, lenient, then the rest in order. */
export function bundledProfileNames(): string[] {
  bundled ??= bundledFiles();
  const names = [...bundled.keys()];
  return ['strict', 'lenient', ...names.filter((n) => n !== 'strict' && n !== 'lenient')];
}

/** The bundled profiles under profiles/variations/: the RFC-correct variations of issue 9. */
export function bundledVariationNames(): string[] {
  bundled ??= bundledFiles();
  const dir = join(BUNDLED_DIR(), 'variations');
  return [...bundled.entries()].filter(([, file]) => dirname(file) === dir).map(([name]) => name);
}

/** The bundled profiles as a user writes them: strict, lenient, …, then `variations/NAME` for each variation. */
export function bundledProfileChoices(): string[] {
  const variations = bundledVariationNames();
  return [...bundledProfileNames().filter((name) => !variations.includes(name)), ...variations.map((name) => `variations/${name}`)];
}

/** The bundled profile `written` names (`lenient`, `patch-204` or `variations/patch-204` → `patch-204`), if any. */
export function bundledProfileName(written: string): string | undefined {
  if (bundledProfileNames().includes(written)) return written;
  const variation = /^variations\/(.+)$/.exec(written)?.[1];
  return variation !== undefined && bundledVariationNames().includes(variation) ? variation : undefined;
}

const documents = new Map<string, ProfileSource>();

/** Reads and checks one profile file: a YAML mistake or a format mistake is a ProfileError naming the file. */
export function readProfileFile(file: string, name = basename(file, extname(file))): ProfileSource {
  const cached = documents.get(file);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new ProfileError(file, [{ path: 'the profile', message: `cannot be read: ${why}` }]);
  }
  const lines = new LineCounter();
  const parsed = parseDocument(text, { prettyErrors: false, lineCounter: lines });
  if (parsed.errors.length > 0) {
    const error = parsed.errors[0]!;
    const at = lines.linePos(error.pos[0]);
    throw new ProfileError(file, [{ path: `line ${at.line}, column ${at.col}`, message: `is not valid YAML: ${error.message.split('\n')[0]}` }]);
  }
  const source: ProfileSource = { document: readProfile(parsed.toJS(), file), where: file, name };
  // Bundled files do not change while the process runs; a user's file may, between two servers.
  if (file.startsWith(BUNDLED_DIR())) documents.set(file, source);
  return source;
}

/** The bundled profile `name`'s document, or undefined. */
export function bundledProfileSource(name: string): ProfileSource | undefined {
  bundled ??= bundledFiles();
  const file = bundled.get(name);
  return file === undefined ? undefined : readProfileFile(file, name);
}

/** True when `text` is written as a file path rather than a bundled name. */
const looksLikeFile = (text: string) => /[/\\]/.test(text) || /\.ya?ml$/i.test(text) || text.startsWith('.');

/** `extends` lookup: a bundled name, or a file relative to the extending profile's folder (or the working directory). */
export const lookupProfile: ProfileLookup = (name, from) => {
  if (!looksLikeFile(name)) {
    const found = bundledProfileSource(name);
    if (found) return found;
  }
  const base = existsSync(from) && statSync(from).isFile() ? dirname(from) : process.cwd();
  const file = resolve(base, name);
  if (existsSync(file)) return readProfileFile(file);
  throw new ProfileError(from, [
    { path: 'extends', message: `"${name}" is neither a bundled profile (${bundledProfileNames().join(', ')}) nor a file (no ${file})` },
  ]);
};

const resolvedBundled = new Map<string, Profile>();

/** A profile by bundled name or file path, resolved over what it extends. */
export function loadProfile(nameOrFile: string): Profile {
  const cached = resolvedBundled.get(nameOrFile);
  if (cached) return cached;
  const source = lookupProfile(nameOrFile, process.cwd());
  const profile = resolveProfile(source, lookupProfile);
  if (source.where.startsWith(BUNDLED_DIR())) resolvedBundled.set(nameOrFile, profile);
  return profile;
}

/** A profile given as an object (a ProfileDocument, as YAML would parse), resolved over what it extends. */
export function profileFromDocument(document: ProfileDocument, where = 'the profile option'): Profile {
  return resolveProfile({ document: readProfile(document, where), where, name: document.name ?? 'custom' }, lookupProfile);
}
