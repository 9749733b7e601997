import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../harness/result.js';
import { curlCommand } from '../../reports/curl.js';

/** What bash makes of the command: `curl` replaced by a function that prints its arguments, one a line (NUL-separated). */
function argumentsOf(command: string, env: Record<string, string> = {}): string[] {
  const script = `curl() { printf '%s\\0' "$@"; }\n${command}`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const exchange = (request: Exchange['request']): Exchange => ({ seq: 1, step: 0, kind: 'raw', request, startedAt: '', durationMs: 1 });

describe('curlCommand', () => {
  it('replays the method, URL, headers and body, each one shell word whatever it holds', () => {
    const body = { userName: `o'brien "$HOME" \`id\` \\ ${'$'}(touch /tmp/x)`, password: '[redacted]' };
    const command = curlCommand(
      exchange({
        method: 'POST',
        url: "http://h/scim/v2/Users?filter=userName eq \"it's\"&x=$(id)",
        headers: { 'content-type': 'application/scim+json', authorization: 'Bearer [redacted]', 'content-length': '99', 'x-odd': "a'b $c" },
        body: { json: body, bytes: 10 },
      }),
    );
    expect(command).toContain('-H "Authorization: Bearer $SCIM_TOKEN"');
    expect(command).not.toContain('content-length');
    expect(argumentsOf(command, { SCIM_TOKEN: 'tok-1' })).toEqual([
      '-X',
      'POST',
      "http://h/scim/v2/Users?filter=userName eq \"it's\"&x=$(id)",
      '-H',
      'content-type: application/scim+json',
      '-H',
      'Authorization: Bearer tok-1',
      '-H',
      "x-odd: a'b $c",
      '--data-raw',
      JSON.stringify(body),
    ]);
  });

  it('reads Basic credentials and a redacted custom header from the environment', () => {
    const basic = curlCommand(exchange({ method: 'GET', url: 'http://h/Users', headers: { Authorization: 'Basic [redacted]', 'X-Api-Key': '[redacted]' } }));
    expect(argumentsOf(basic, { SCIM_USER: 'u', SCIM_PASSWORD: 'p w', SCIM_TOKEN: 'k' })).toEqual(['http://h/Users', '-u', 'u:p w', '-H', 'X-Api-Key: k']);
  });

  it('sends a text body as recorded and names the method when curl would not guess it', () => {
    expect(argumentsOf(curlCommand(exchange({ method: 'DELETE', url: 'http://h/Users/1', headers: {} })))).toEqual(['-X', 'DELETE', 'http://h/Users/1']);
    expect(argumentsOf(curlCommand(exchange({ method: 'GET', url: 'http://h/', headers: {}, body: { text: "{bad 'json\n", bytes: 11 } })))).toEqual([
      '-X',
      'GET',
      'http://h/',
      '--data-raw',
      "{bad 'json\n",
    ]);
  });
});
