import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerServe } from '../../harness/cli/serve.js';
import { serverLimits } from '../../reference-server/limits.js';
import { resolveOptions } from '../../reference-server/options.js';
import { testServer } from './resource-helpers.js';

/** Every limit of the reference server is listed where a user looks: `serve --help`, the README, and /ServiceProviderConfig where RFC 7643 §5 has a place for it. */

const defaults = serverLimits(resolveOptions({}));

function serveHelp(): string {
  const program = new Command();
  registerServe(program);
  const serve = program.commands.find((command) => command.name() === 'serve')!;
  let out = '';
  serve.configureOutput({ writeOut: (text) => (out += text) });
  serve.outputHelp();
  return out;
}

describe('the limits', () => {
  it('are each in serve --help, with their default', () => {
    const help = serveHelp();
    for (const { what, value } of defaults) expect(help).toMatch(new RegExp(`\\n  ${what.replace(/[()[\]]/g, '\\$&')} +${value} `));
  });

  it('are each in the README\'s Limits table, in the same order, with their default', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('\n## Limits\n'), readme.indexOf('\n## ', readme.indexOf('\n## Limits\n') + 1));
    const rows = section.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| limit ') && !line.startsWith('|---'));
    expect(rows.map((row) => row.split(' | ')[1])).toEqual(defaults.map((limit) => limit.value));
  });

  it('follow the options, and /ServiceProviderConfig declares the page size and the Bulk limits', async () => {
    const s = testServer({ bodyLimit: 2 * 1024 * 1024, maxPageSize: 50, bulk: { maxOperations: 10 }, resources: { maxBytes: 3_000_000 } });
    const limits = serverLimits(s.server.options);
    const value = (what: RegExp) => limits.find((limit) => what.test(limit.what))!.value;
    expect([value(/^request body/), value(/filter\.maxResults/), value(/bulk\.maxOperations/), value(/bulk\.maxPayloadSize/), value(/stored resource/)]).toEqual(['2 MiB', '50', '10', '2 MiB', '3000000 bytes']);
    const config = (await s.get('/ServiceProviderConfig')).json();
    expect(config.filter).toEqual({ supported: true, maxResults: 50 });
    expect(config.bulk).toEqual({ supported: true, maxOperations: 10, maxPayloadSize: 2 * 1024 * 1024 });
  });
});
