import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { CLI, cli } from '../cli/compiled-cli.js';

/* `scimulator serve --profile NAME|FILE`, run as a user would (the compiled CLI); postman's among them. */

const dir = mkdtempSync(join(tmpdir(), 'serve-profile-'));

/** Starts `serve` with `args`, returns the base URL once it listens, and a stop function. */
async function serve(args: string[]): Promise<{ url: string; banner: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--token', 'sekrit', ...args], { cwd: dir });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner; stdout: ${out}; stderr: ${err}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+)/.exec(out);
      if (match && out.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}; stderr: ${err}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    url,
    banner: out,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

describe('serve --profile', () => {
  it('lists the bundled profiles in --help, and says which field each shorthand sets', async () => {
    const { code, stdout, stderr } = await cli(['serve', '--help'], dir);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/--profile <name\|file>/);
    expect(stdout).toMatch(/Bundled: strict, lenient, .*patch-204/s);
    expect(stdout).toMatch(/sets patch\.status/);
    expect(stdout).toMatch(/sets discovery\.public/);
    expect(stdout).toMatch(/sets every compat field/);
  });

  it('refuses an unknown profile and a wrong file with exit code 2 and what to fix', async () => {
    const unknown = await cli(['serve', '--port', '0', '--profile', 'postmann'], dir);
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.stderr).toMatch(/^error: .*"postmann" is neither a bundled profile \(strict, lenient/);
    writeFileSync(join(dir, 'wrong.yaml'), 'paging: { maxResult: 10 }\n');
    const wrong = await cli(['serve', '--port', '0', '--profile', 'wrong.yaml'], dir);
    expect(wrong.code, wrong.stderr).toBe(2);
    expect(wrong.stderr).toContain("paging.maxResult: unknown key 'maxResult' in paging: did you mean 'maxResults'?");
  });

  it('serves a profile file, and a flag wins over its field', async () => {
    writeFileSync(join(dir, 'target.yaml'), 'extends: patch-204\npaging: { maxResults: 10 }\ndiscovery: { public: true }\n');
    const server = await serve(['--profile', 'target.yaml', '--max-page-size', '5']);
    try {
      expect(server.banner).toContain('profile: target.yaml');
      const res = await request(`${server.url}/ServiceProviderConfig`);
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { filter: unknown }).filter).toEqual({ supported: true, maxResults: 5 });
      const headers = { authorization: 'Bearer sekrit', 'content-type': 'application/scim+json' };
      const created = await request(`${server.url}/Users`, { method: 'POST', headers, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada' }) });
      const { id } = (await created.body.json()) as { id: string };
      const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'active', value: false }] });
      const patched = await request(`${server.url}/Users/${id}`, { method: 'PATCH', headers, body });
      await patched.body.dump();
      expect(patched.statusCode).toBe(204);
    } finally {
      await server.stop();
    }
  });
});

/** A request with a credential and an optional JSON body; the answer's status and parsed body. */
async function call(url: string, method: 'GET' | 'POST' | 'DELETE', authorization: string, body?: unknown) {
  const res = await request(url, {
    method,
    headers: { authorization, ...(body !== undefined && { 'content-type': 'application/scim+json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: text === '' ? undefined : (JSON.parse(text) as Record<string, any>) };
}

describe('serve --profile postman', () => {
  it('is listed in serve --help', async () => {
    const { code, stdout, stderr } = await cli(['serve', '--help'], dir);
    expect(code, stderr).toBe(0);
    expect(stdout).toMatch(/Bundled: strict, lenient, postman, postman-oas,/);
  });

  it('answers as Postman, and lets a team admin in another process accept an invite over the admin API', async () => {
    writeFileSync(join(dir, 'acme.yaml'), 'extends: postman\nteam:\n  verifiedDomains: [acme.example]\n  accounts: [{ email: eli@freelance.example }]\n');
    const { url, stop } = await serve(['--profile', 'acme.yaml', '--admin-token', 'admin-secret']);
    try {
      const origin = new URL(url).origin;
      expect((await call(`${url}/Users?startIndex=1&count=2`, 'GET', 'sekrit')).status).toBe(200);
      expect(await call(`${url}/ResourceTypes`, 'GET', 'wrong')).toEqual({ status: 401, json: { error: { name: 'AuthenticationError', message: 'Invalid SCIM API key.' } } });
      const invited = await call(`${url}/Users`, 'POST', 'Bearer sekrit', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'eli@freelance.example', active: true });
      expect(invited.status).toBe(201);
      expect((await call(`${url}/Users?filter=userName+eq+%22eli%40freelance.example%22`, 'GET', 'sekrit')).json!.totalResults).toBe(0);
      expect((await call(`${origin}/_scimulator/invites`, 'GET', 'Bearer admin-secret')).json).toEqual([
        { id: invited.json!.id, userName: 'eli@freelance.example', invitedAt: expect.any(String) },
      ]);
      expect((await call(`${origin}/_scimulator/invites/eli@freelance.example/accept`, 'POST', 'Bearer admin-secret')).status).toBe(200);
      const member = await call(`${url}/Users/${invited.json!.id}`, 'GET', 'sekrit');
      expect([member.status, member.json!.active]).toEqual([200, true]);
      expect((await call(`${url}/Users/${invited.json!.id}`, 'DELETE', 'sekrit')).json).toEqual({
        error: { name: 'NotFound', message: 'The requested resource was not found.' },
        status: 'error',
      });
    } finally {
      await stop();
    }
  });
});
