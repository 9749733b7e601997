#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import { registerList } from './list.js';
import { registerReport } from './report.js';
import { registerDiff } from './diff.js';
import { registerReplay } from './replay.js';
import { registerExplain } from './explain.js';
import { registerValidate } from './validate.js';

/** The exit code of every usage mistake, commander's own (unknown option, missing argument…) included. */
const USAGE_EXIT_CODE = 2;

const program = new Command()
  .name('scimulator')
  .description(
    'An IdP simulator and SCIM 2.0 conformance harness.\n' +
      'Shows what Okta and Microsoft Entra ID send a SCIM server, and whether the server answers correctly.',
  )
  .version(VERSION)
  // Before the commands are added, which inherit it: commander's mistakes are thrown to the catch below, not exited with 1.
  .exitOverride()
  .showHelpAfterError("(run 'scimulator --help' for the commands)")
  .addHelpText(
    'after',
    `
Exit codes (each command's --help lists those it uses):
  0         success
  1         conformance failures (run; with --known or --baseline, only those they do not accept);
            scenarios newly failing (diff); a replay that differs from its recording (replay)
  2         a usage mistake, or a file with a mistake (scenario, seed, profile, known failures, result,
            recording: another format version is refused)
  3         the target is unreachable, refuses the credentials, is not SCIM, or stops answering (run)
  130, 143  the run was interrupted by Ctrl+C (SIGINT) or SIGTERM (run)`,
  );

registerRun(program);
registerServe(program);
registerValidate(program);
registerList(program);
registerReport(program);
registerDiff(program);
registerReplay(program);
registerExplain(program);

// One line after a mistake, not the whole help: the message stays on screen.
for (const command of program.commands) command.showHelpAfterError(`(run 'scimulator ${command.name()} --help' for the options)`);

try {
  // parseAsync: command actions are async (a server starts, files are read).
  await program.parseAsync();
} catch (error) {
  if (!(error instanceof CommanderError)) throw error;
  // Commander has printed its message (or the help) already; --help and --version end with 0, every mistake
  // (also `scimulator` without a command, and `help` of an unknown one) with the usage code instead of commander's 1.
  process.exitCode = error.exitCode === 0 ? 0 : USAGE_EXIT_CODE;
}
