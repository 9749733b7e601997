import type { Command } from 'commander';
import type { Scenario } from '../types.js';
import { commandOutput } from './command-output.js';

interface ListFlags {
  grep?: string;
  tag: string[];
  excludeTag: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `scimulator list [paths...]`: the scenarios with their ids, what they require and cover, and their references. */
export function registerList(program: Command): void {
  program
    .command('list')
    .summary('List scenarios with their ids, requirements, coverage and references')
    .description(
      'List scenarios: id, idp, the optional features they require of the target, what they cover, references and title; ' +
        'aligned on a terminal, tab-separated otherwise.\n\n' +
        'Exit codes: 0 listed, 2 a scenario file has mistakes (they are printed; the valid ones are listed).',
    )
    .argument('[paths...]', 'scenario files or folders (default: the built-in library)')
    .option('--grep <text>', 'only scenarios whose id or title contains the text')
    .option('--tag <tag>', 'only scenarios with this tag (repeatable: any of them)', collect, [])
    .option('--exclude-tag <tag>', 'leave out scenarios with this tag (repeatable), e.g. strict', collect, [])
    .option('--json', 'print a JSON array instead')
    .action(async (paths: string[], flags: ListFlags, command: Command) => {
      const output = commandOutput(command);
      const [{ defaultScenarioPaths, loadScenarios, selectScenarios }, { IDPS }] = await Promise.all([import('../scenario/load.js'), import('../idp/registry.js')]);
      const { scenarios, errors } = await loadScenarios(paths.length > 0 ? paths : defaultScenarioPaths(), { idps: IDPS });
      const selected = selectScenarios(scenarios, { grep: flags.grep, tags: flags.tag, excludeTags: flags.excludeTag });
      output.out(flags.json ? `${JSON.stringify(selected.map(listEntry), null, 2)}\n` : formatScenarioList(selected, output.width));
      for (const error of errors) output.err(`${String(error)}\n`);
      process.exitCode = errors.length > 0 ? 2 : 0;
    });
}

function listEntry(s: Scenario) {
  return { id: s.id, title: s.title, idp: s.idp, requires: s.requires, covers: s.covers, refs: s.refs, tags: s.tags, file: s.source.file };
}

/**
 * One line per scenario: id, idp, requires, covers, refs, title. For a terminal (`width` given), a
 * header and aligned columns, titles cut to fit; otherwise tab-separated, for `cut` and `grep`.
 */
export function formatScenarioList(scenarios: Scenario[], width?: number): string {
  const rows = scenarios.map((s) => [s.id, s.idp, s.requires.join(',') || '-', s.covers.join(',') || '-', s.refs.join(', '), s.title]);
  if (width === undefined) return rows.map((r) => `${r.join('\t')}\n`).join('');
  const table = [['ID', 'IDP', 'REQUIRES', 'COVERS', 'REFS', 'TITLE'], ...rows];
  const last = table[0]!.length - 1;
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  return table
    .map((row) => {
      const line = row.map((cell, c) => (c < last ? cell.padEnd(widths[c]!) : cell)).join('  ');
      return `${line.length > width ? `${line.slice(0, width - 1)}…` : line}\n`;
    })
    .join('');
}
