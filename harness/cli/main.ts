#!/usr/bin/env node
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import { registerList } from './list.js';
import { registerReport } from './report.js';
import { registerValidate } from './validate.js';

const program = new Command()
  .name('scimulator')
  .description(
    'An IdP simulator and SCIM 2.0 conformance harness.\n' +
      'Shows what Okta and Microsoft Entra ID send a SCIM server, and whether the server answers correctly.',
  )
  .version(VERSION)
  .showHelpAfterError();

registerRun(program);
registerServe(program);
registerValidate(program);
registerList(program);
registerReport(program);

// parseAsync: command actions are async (a server starts, files are read).
await program.parseAsync();
if (program.args.length === 0) program.outputHelp();
