import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReferenceServer, type ReferenceServer } from '../../reference-server/app.js';
import { cli, ROOT } from './compiled-cli.js';

/** Scenarios written for a service's own profile (scenarios/postman/) check that service, not what every SCIM server owes. */
describe('run --target with the built-in library', () => {
  const TOKEN = 'service-scenarios';
  let server: ReferenceServer;
  let url: string;
  beforeAll(async () => {
    server = createReferenceServer({ tokens: [TOKEN], host: '127.0.0.1', port: 0 });
    url = (await server.listen()).url;
  });
  afterAll(() => server.close());

  it('leaves out the Postman scenarios, saying how to run them', async () => {
    const run = await cli(['run', '--target', url, '--token', TOKEN, '--grep', 'postman.api.auth-key'], ROOT);
    expect(run.stderr).toMatch(/^Left out \d+ scenarios written for a service's own profile \(scenarios\/postman\/\): name their folder to run them against this target\.\n/);
    expect(run.code).toBe(2);
  });

  it('runs them when their folder is named', async () => {
    const run = await cli(['run', 'scenarios/postman/api/auth-key-accepted.yaml', '--target', url, '--token', TOKEN], ROOT);
    expect(run.stderr).not.toContain('Left out');
    expect(run.stdout).toMatch(/postman\.api\.auth-key-accepted/);
  });
});
