import { readFileSync } from 'node:fs';
import addFormatsModule from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { runScenarios } from '../../harness/runner/run.js';
import { defaultScenarioPaths, loadScenarios } from '../../harness/scenario/load.js';
import { sampleResult } from './sample-result.js';
import { IDPS } from '../../harness/idp/registry.js';
import type { RunResult } from '../../harness/result.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;
const schema = JSON.parse(readFileSync(new URL('../../docs/run-result.schema.json', import.meta.url), 'utf8'));
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

describe('docs/run-result.schema.json, the documented shape of result.json', () => {
  it('accepts a real run of the whole library, IdP scenarios included', async () => {
    const { scenarios } = await loadScenarios(defaultScenarioPaths(), { idps: IDPS });
    const result = JSON.parse(JSON.stringify(await runScenarios(scenarios, { idps: IDPS, concurrency: 8 }))) as RunResult;
    expect(validate(result), ajv.errorsText(validate.errors)).toBe(true);
    // The library's folders are its variants: okta/oin, entra/aadoptscim062020…; Entra's own folder is the legacy dialect.
    // postman/ holds Okta's Postman app and either Entra dialect, each by its IdP's name.
    const postman: Record<string, RegExp> = { okta: /^okta\.postman$/, entra: /^entra\.(legacy|aadoptscim062020)$/ };
    for (const scenario of result.scenarios) {
      const [family, group] = scenario.id.split('.');
      if (family === 'postman' && scenario.idp !== 'none') {
        expect(scenario.variant?.key, scenario.id).toMatch(postman[scenario.idp]!);
        continue;
      }
      const variant = scenario.idp === 'none' ? undefined : family === 'entra' && !['aadoptscim062020', 'legacy'].includes(group!) ? 'entra.legacy' : `${family}.${group}`;
      expect(scenario.variant?.key, scenario.id).toBe(variant);
    }
  });

  it('accepts the sample result the report tests use', () => {
    const result = JSON.parse(JSON.stringify(sampleResult()));
    expect(validate(result), ajv.errorsText(validate.errors)).toBe(true);
  });

  it('accepts an interrupted run and what it left on the target, and refuses them malformed', () => {
    const result = {
      ...JSON.parse(JSON.stringify(sampleResult())),
      interrupted: { signal: 'SIGINT', at: '2026-01-05T10:00:00.000Z', notRun: ['rfc7644.users.get-by-id'] },
      leftBehind: [{ scenario: 'rfc7644.users.create-201-location', url: 'http://127.0.0.1:9999/scim/v2/Users/1', reason: 'DELETE answered 403' }],
    };
    expect(validate(result), ajv.errorsText(validate.errors)).toBe(true);
    expect(validate({ ...result, interrupted: { signal: 'SIGINT', at: '2026-01-05T10:00:00.000Z' } })).toBe(false);
    expect(validate({ ...result, leftBehind: [{ url: 'http://127.0.0.1:9999/scim/v2/Users/1' }] })).toBe(false);
  });

  it('refuses another version', () => {
    const result = { ...JSON.parse(JSON.stringify(sampleResult())), version: 1 };
    expect(validate(result)).toBe(false);
  });
});
