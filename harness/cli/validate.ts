import type { Command } from 'commander';
import { commandOutput, type CommandOutput } from './command-output.js';

/** `scimulator validate [paths...]`: checks scenario files without running them. */
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .summary('Check scenario files without running them')
    .description(
      "Check scenario files without running them: YAML syntax, the scenario format, templates, unique ids, each IdP's events, their arguments and the directory names they use, settings, outcome keys, matchers.\n" +
        'Each mistake is printed as file:line:col: message.\n\n' +
        'Exit codes: 0 every file is valid, 2 a file has mistakes or a path does not exist.',
    )
    .argument('[paths...]', 'scenario files or folders (default: the built-in library)')
    .action(async (paths: string[], _flags: unknown, command: Command) => {
      process.exitCode = await validate(paths, commandOutput(command));
    });
}

async function validate(paths: string[], output: CommandOutput): Promise<number> {
  const [{ defaultScenarioPaths, loadScenarios }, { IDPS }] = await Promise.all([import('../scenario/load.js'), import('../idp/registry.js')]);
  const given = paths.length > 0 ? paths : defaultScenarioPaths();
  const { scenarios, errors } = await loadScenarios(given, { idps: IDPS });
  for (const error of errors) output.err(`${String(error)}\n`);
  if (errors.length > 0) {
    const files = new Set(errors.map((e) => e.file)).size;
    output.err(`${plural(errors.length, 'problem')} in ${plural(files, 'scenario file')}\n`);
    return 2;
  }
  if (scenarios.length === 0) {
    output.err(`no scenario files (*.yaml, *.yml) in ${given.join(', ')}\n`);
    return 2;
  }
  output.out(`${plural(scenarios.length, 'scenario file')} OK\n`);
  return 0;
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
