import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { bundledProfileChoices, bundledProfileName } from '../../reference-server/profile/load.js';
import { serverProfile } from '../../reference-server/profile/server-profile.js';
import { suggest } from '../../scim/suggest.js';

/** A profile name as written (`lenient`, `variations/patch-204`) rather than a file (`./target.yaml`). */
const looksLikeName = (text: string) => !/[/\\]/.test(text.replace(/^variations\//, '')) && !/\.ya?ml$/i.test(text) && !text.startsWith('.');

/**
 * What a scenario's `target.profile` names for the embedded reference server: a bundled profile's
 * name as `createReferenceServer({ profile })` takes it (`variations/patch-204` is the bundled
 * `patch-204`), or a file's absolute path, relative to the scenario file `scenarioFile`. Or, when
 * it names neither, why not, in words.
 */
export function embeddedProfile(written: string, scenarioFile: string): { profile: string } | { problem: string } {
  const bundled = bundledProfileName(written);
  if (bundled !== undefined) return { profile: bundled };
  if (looksLikeName(written)) {
    const names = bundledProfileChoices();
    const hint = suggest(written, names);
    const choices = hint ? `did you mean '${hint}'?` : `the bundled ones are ${names.join(', ')}`;
    return { problem: `'${written}' is not a bundled profile: ${choices} (or give a file, relative to this scenario: ./my-target.yaml)` };
  }
  const file = resolve(dirname(scenarioFile), written);
  if (!existsSync(file) || !statSync(file).isFile()) return { problem: `the profile file ${written} does not exist (looked for ${file}; a path is relative to the scenario file)` };
  try {
    serverProfile(file);
  } catch (error) {
    return { problem: `the profile ${written} has a mistake: ${(error as Error).message}` };
  }
  return { profile: file };
}
