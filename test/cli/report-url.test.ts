import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleResult } from '../reports/sample-result.js';
import { cli } from './compiled-cli.js';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scimulator-report-url-'));
  writeFileSync(join(dir, 'result.json'), JSON.stringify(sampleResult()));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--report-url', () => {
  it('makes the Markdown summary link to the published report.html, fragment dropped, spaces encoded', async () => {
    const url = 'https://ci.example.com/job/42/artifacts/my report.html#old';
    const run = await cli(['report', 'result.json', '--reporter', 'markdown', '--report-url', url, '--out', 'out'], dir);
    expect(run.code, run.stderr).toBe(0);
    const summary = readFileSync(join(dir, 'out/summary.md'), 'utf8');
    expect(summary).toContain('Full report: [report.html](https://ci.example.com/job/42/artifacts/my%20report.html).');
    expect(summary).toContain('(https://ci.example.com/job/42/artifacts/my%20report.html#scenario-rfc7644.paging.count-zero)');
    expect(summary).not.toContain('](report.html');
  });

  it('is checked before a run starts: not an absolute http(s) URL is a usage mistake, exit 2', async () => {
    const relative = await cli(['run', '--report-url', 'report.html', '--reporter', 'markdown', '--out', 'never'], dir);
    expect(relative.code).toBe(2);
    expect(relative.stderr).toContain("option '--report-url <url>' argument 'report.html' is invalid. give the absolute URL report.html is published at");
    expect(relative.stdout).toBe('');
    const ftp = await cli(['report', 'result.json', '--report-url', 'ftp://ci.example.com/report.html'], dir);
    expect(ftp.code).toBe(2);
    expect(ftp.stderr).toContain('give an http or https URL, not ftp:');
  });

  it('says it changes nothing when no Markdown summary is written', async () => {
    const run = await cli(['report', 'result.json', '--reporter', 'html', '--report-url', 'https://ci.example.com/report.html', '--out', 'html-only'], dir);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('--report-url only sets where the Markdown summary links to: add markdown to --reporter to write one.');
  });
});
