import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { bundledScenariosDir, packageDir } from '../../../harness/scenario/files.js';
import { findScenarioFiles, loadScenarios } from '../../../harness/scenario/load.js';
import { MATCHER_KEYS } from '../../../harness/scenario/matcher-shorthand.js';
import { scenarioSchemaFile } from '../../../harness/scenario/schema.js';
import { tempFolder } from './helpers.js';
import { IDPS } from '../../../harness/idp/registry.js';

type Schema = { [key: string]: unknown };
const schema = JSON.parse(await readFile(scenarioSchemaFile(), 'utf8')) as Schema;

/** Every property schema in the document, with where it is. */
function propertySchemas(node: unknown, at = '#'): [string, Schema][] {
  if (typeof node !== 'object' || node === null) return [];
  const found: [string, Schema][] = [];
  for (const [key, child] of Object.entries(node)) {
    if (key === 'properties' && !at.endsWith('/properties')) {
      for (const [name, property] of Object.entries(child as Schema)) found.push([`${at}/properties/${name}`, property as Schema]);
    }
    found.push(...propertySchemas(child, `${at}/${key}`));
  }
  return found;
}

describe('scenarios/scenario.schema.json', () => {
  it('is a valid draft 2020-12 schema', () => {
    const ajv = new Ajv2020({ strictTypes: false });
    ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('describes every property, for editor hover and completion', () => {
    const properties = propertySchemas(schema);
    expect(properties.length).toBeGreaterThan(50);
    // Conditions (`if`) define no property, and the top-level then only narrows steps for idp: none.
    const defining = properties.filter(([at]) => !/^#\/then\//.test(at) && !at.includes('/if/'));
    const undescribed = defining.filter(([, p]) => typeof p.description !== 'string' && typeof p.$ref !== 'string').map(([at]) => at);
    expect(undescribed).toEqual([]);
    // A $ref'd definition carries the description instead.
    for (const [name, definition] of Object.entries(schema.$defs as Schema)) expect((definition as Schema).description, name).toBeTypeOf('string');
  });

  it('knows the same matcher keys as the loader', () => {
    const defs = schema.$defs as Record<string, Schema>;
    expect(Object.keys(defs.matcher!.properties as Schema)).toEqual([...MATCHER_KEYS]);
    expect(Object.keys(defs.matcherOrValue!.properties as Schema)).toEqual([...MATCHER_KEYS]);
    expect(((defs.matcherOrValue!.if as Schema).propertyNames as Schema).enum).toEqual([...MATCHER_KEYS]);
  });
});

describe('docs/scenario-format.md', () => {
  const folder = tempFolder();

  it('opens with an example that loads', async () => {
    const doc = await readFile(resolve(packageDir(), 'docs/scenario-format.md'), 'utf8');
    const example = /```yaml\n([\s\S]*?)```/.exec(doc)![1]!;
    const file = await (await folder()).write('example.yaml', example);
    const { errors } = await loadScenarios([file], { idps: IDPS });
    expect(errors.map(String)).toEqual([]);
  });
});

describe('the shipped RFC 7644 library', () => {
  const library = resolve(bundledScenariosDir(), 'rfc7644');
  const discovery = resolve(library, 'discovery');

  it('loads without errors, at least 120 scenarios, each citing an RFC 7643/7644 section', async () => {
    const { scenarios, errors } = await loadScenarios([library], { idps: IDPS });
    expect(errors.map(String)).toEqual([]);
    expect(scenarios.length).toBeGreaterThanOrEqual(120);
    expect(scenarios.map((s) => s.id)).toContain('rfc7644.discovery.service-provider-config');
    expect(scenarios.filter((s) => !s.refs.some((r) => /^RFC 764[34] §\d/.test(r))).map((s) => s.id)).toEqual([]);
  });

  it('name the schema for editors with a path that reaches it', async () => {
    for (const file of await findScenarioFiles([discovery])) {
      const modeline = /^# yaml-language-server: \$schema=(\S+)/.exec(await readFile(file, 'utf8'));
      expect(modeline, file).not.toBeNull();
      expect(resolve(dirname(file), modeline![1]!)).toBe(scenarioSchemaFile());
    }
  });
});
