import { readFileSync } from 'node:fs';
import type { Scenario, SourceRef } from '../types.js';
import { ScenarioFileError, ScenarioLoadError } from './errors.js';
import { compiledScenario, readCompiledLibrary, writeCompiledLibrary, type CompiledLibrary } from './compiled.js';
import { bundledScenariosDir, collectScenarioFiles, derivedId, libraryFolders } from './files.js';
import type { IdpDescriptions } from './idp-description.js';
import { normalizeScenario } from './normalize.js';
import { isWithin, type Problem } from './paths.js';
import { isMapping } from './shapes.js';
import { SCENARIO_ID } from './schema-document.js';
import { schemaProblems } from './schema.js';
import { semanticProblems } from './semantics.js';
import { parseYaml } from './yaml-positions.js';

export { ScenarioFileError, ScenarioLoadError, ScenarioPathError } from './errors.js';
export { defaultScenarioPaths, findScenarioFiles } from './files.js';
export { selectScenarios, type Selection } from './select.js';

/** One file's verdict: its scenario when it has no mistakes, and its id with where it was written (the file's start when derived). */
interface FileCheck {
  scenario?: Scenario;
  errors: ScenarioFileError[];
  id?: { value: string; source: SourceRef };
}

/**
 * What loading is given besides the files: the IdPs whose scenarios it checks (`idps`; the CLI
 * gives those this build simulates), and the compiled bundled library to use (`compiledLibrary`,
 * by default the one the build wrote; used only when compiled for these very IdPs).
 */
export interface LoadOptions {
  idps: IdpDescriptions;
  compiledLibrary?: string;
}

/** Loads one scenario file; throws `ScenarioLoadError` listing every mistake in it. */
export async function loadScenarioFile(file: string, { idps }: Pick<LoadOptions, 'idps'>): Promise<Scenario> {
  const { scenario, errors } = await checkFile(file, idps);
  if (!scenario) throw new ScenarioLoadError(errors);
  return scenario;
}

/**
 * Loads every scenario file under `paths` (see `findScenarioFiles`). Files with mistakes give
 * errors and no scenario; an id used by several files is an error in each of them; a path that
 * does not exist is an error too. Never throws for what a file says. Files of the bundled library
 * come from its compiled form (`compiledLibrary`, by default the one the build wrote) when unchanged.
 */
export async function loadScenarios(paths: string[], { idps, compiledLibrary }: LoadOptions): Promise<{ scenarios: Scenario[]; errors: ScenarioFileError[] }> {
  const { files, missing } = await collectScenarioFiles(paths);
  const library = readCompiledLibrary(idps, compiledLibrary);
  const checks = await Promise.all(files.map((file) => checkFile(file, idps, library)));
  markDuplicateIds(checks);
  return {
    scenarios: checks.flatMap((c) => (c.errors.length === 0 && c.scenario ? [c.scenario] : [])),
    errors: [...missing.map((path) => new ScenarioFileError(path, 0, 0, 'no such file or folder')), ...checks.flatMap((c) => c.errors)],
  };
}

async function checkFile(file: string, idps: IdpDescriptions, library?: CompiledLibrary): Promise<FileCheck & { text?: string }> {
  let text: string;
  try {
    // Read synchronously: hundreds of small files come several times faster than through the thread pool.
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return { errors: [new ScenarioFileError(file, 0, 0, `cannot read the file: ${(e as Error).message}`)] };
  }
  const compiled = library && compiledScenario(library, file, text);
  if (compiled) return { scenario: compiled.scenario, errors: [], id: { value: compiled.scenario.id, source: compiled.idSource }, text };
  return { ...checkText(file, text, idps), text };
}

/**
 * Compiles the bundled library (see compiled.ts) for these IdPs from its files that load without a mistake;
 * answers how many it holds and how many were left out for their mistakes (a run reports those).
 * The build's second step.
 */
export async function compileBundledLibrary(idps: IdpDescriptions, path?: string): Promise<{ compiled: number; leftOut: number }> {
  const { files } = await collectScenarioFiles([bundledScenariosDir()]);
  const checks = await Promise.all(files.map((file) => checkFile(file, idps)));
  markDuplicateIds(checks);
  const loaded = checks.flatMap((c, i) => (c.scenario && c.id && c.errors.length === 0 ? [{ file: files[i]!, text: c.text!, scenario: c.scenario, idSource: c.id.source }] : []));
  return { compiled: await writeCompiledLibrary(loaded, idps, path), leftOut: files.length - loaded.length };
}

function checkText(file: string, text: string, idps: IdpDescriptions): FileCheck {
  const yaml = parseYaml(text);
  if (yaml.errors.length > 0) return { errors: yaml.errors.map((e) => new ScenarioFileError(file, e.line, e.column, e.message)) };
  const data = yaml.data;
  if (data === null || data === undefined) return { errors: [new ScenarioFileError(file, 1, 1, 'the file is empty: a scenario needs title, refs and steps')] };

  const folders = libraryFolders(file);
  const semantic = semanticProblems(data, idps, folders, file);
  const id = scenarioId(data, file);
  const problems: Problem[] = [
    ...schemaProblems(data, idps).filter((p) => !semantic.superseded.some((place) => isWithin(p.path, place))),
    ...semantic.problems,
    ...id.problems,
  ];
  const errors = problems
    .map((p) => {
      const { line, column } = yaml.locate(p.path, p.at, p.within);
      return new ScenarioFileError(file, line, column, p.message);
    })
    .sort(byPosition);

  const check: FileCheck = { errors, ...(id.value !== undefined && { id: { value: id.value, source: { file, ...yaml.locate(id.written ? ['id'] : []) } } }) };
  if (errors.length === 0) check.scenario = normalizeScenario(data, id.value!, folders, (path) => ({ file, ...yaml.locate(path) }));
  return check;
}

/** The id written in the file, or else the one its place in the bundled library gives (see `derivedId`). */
function scenarioId(data: unknown, file: string): { value?: string; written: boolean; problems: Problem[] } {
  const written = isMapping(data) ? data.id : undefined;
  // A written id of the wrong form is the JSON Schema's to report.
  if (written !== undefined) return { ...(typeof written === 'string' && { value: written }), written: true, problems: [] };
  if (!isMapping(data)) return { written: false, problems: [] };
  const derived = derivedId(file);
  if (derived === undefined) {
    return { written: false, problems: [{ path: [], message: "a scenario outside the bundled library needs 'id' (a stable name for reports and history, like acme.users.create)" }] };
  }
  if (!SCENARIO_ID.test(derived)) {
    return { written: false, problems: [{ path: [], message: `the file's path gives the id '${derived}', which is not lowercase words, digits and '-' separated by dots: rename the file or write an id` }] };
  }
  return { value: derived, written: false, problems: [] };
}

/** Ids are how reports and history know a scenario: one used twice is an error at each place. */
function markDuplicateIds(checks: FileCheck[]): void {
  const byId = new Map<string, FileCheck[]>();
  for (const check of checks) if (check.id) byId.set(check.id.value, [...(byId.get(check.id.value) ?? []), check]);
  for (const [id, sharing] of byId) {
    if (sharing.length < 2) continue;
    for (const check of sharing) {
      const others = sharing.filter((c) => c !== check).map((c) => format(c.id!.source));
      const { file, line, column } = check.id!.source;
      check.errors.push(new ScenarioFileError(file, line, column, `id '${id}' is also used in ${others.join(', ')}: ids must be unique`));
      check.errors.sort(byPosition);
    }
  }
}

function byPosition(a: ScenarioFileError, b: ScenarioFileError): number {
  return a.line - b.line || a.column - b.column;
}

function format({ file, line, column }: SourceRef): string {
  return `${file}:${line}:${column}`;
}
