import { readFileSync } from 'node:fs';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { runScenarios } from '../../harness/runner/run.js';
import { defaultScenarioPaths, loadScenarios } from '../../harness/scenario/load.js';
import { sampleResult } from './sample-result.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const schema = JSON.parse(readFileSync(new URL('../../docs/run-result.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

describe('docs/run-result.schema.json, the documented shape of result.json', () => {
  it('accepts a real run of the whole library, IdP scenarios included', async () => {
    const { scenarios } = await loadScenarios(defaultScenarioPaths());
    const result = JSON.parse(JSON.stringify(await runScenarios(scenarios, { concurrency: 8 })));
    expect(validate(result), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('accepts the sample result the report tests use', () => {
    const result = JSON.parse(JSON.stringify(sampleResult()));
    expect(validate(result), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('refuses another version', () => {
    const result = { ...JSON.parse(JSON.stringify(sampleResult())), version: 1 };
    expect(validate(result)).toBe(false);
  });
});
