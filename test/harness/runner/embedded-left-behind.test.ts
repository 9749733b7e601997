import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenarios } from '../../../harness/runner/run.js';
import { loadScenarios } from '../../../harness/scenario/load.js';
import { runEndLines } from '../../../reports/run-end.js';
import { IDPS } from '../../../harness/idp/registry.js';

describe('what the cleanup cannot delete on embedded servers', () => {
  it('is not listed: the servers end with the run, so there is nothing to delete by hand', async () => {
    // Postman's profile answers DELETE with a plain 404: against a served target, each user these create is listed as left behind.
    const loaded = await loadScenarios([join(import.meta.dirname, '../../../scenarios/postman/api')], { idps: IDPS });
    expect(loaded.errors).toEqual([]);
    const result = await runScenarios(loaded.scenarios, { idps: IDPS, concurrency: 2 });
    expect(result.totals.failed).toBe(0);
    expect(result.target.embedded).toBe(true);
    expect(result.leftBehind).toBeUndefined();
    expect(runEndLines(result)).toEqual([]);
  });
});
