#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command } from 'commander';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command()
  .name('scimulator')
  .description(
    'An IdP simulator and SCIM 2.0 conformance harness.\n' +
      'Shows what Okta and Microsoft Entra ID send a SCIM server, and whether the server answers correctly.',
  )
  .version(pkg.version)
  .showHelpAfterError();

program.parse();
if (program.args.length === 0) program.outputHelp();
