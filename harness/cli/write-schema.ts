/**
 * Writes what is generated from the IdP descriptions: the editor schema,
 * scenarios/scenario.schema.json, and the settings table of each IdP's docs (docs/okta.md, between
 * its settings markers): `npm run schema`. A test fails while a committed file differs from what this writes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IDPS } from '../idp/registry.js';
import { withSettingsTable } from '../idp/settings-docs.js';
import { packageDir } from '../scenario/files.js';
import { scenarioSchemaFile } from '../scenario/schema.js';
import { editorSchemaText } from '../scenario/schema-document.js';

await writeFile(scenarioSchemaFile(), editorSchemaText(IDPS));
process.stdout.write(`scimulator: wrote ${scenarioSchemaFile()}\n`);
for (const idp of Object.values(IDPS)) {
  const file = join(packageDir(), idp.docs);
  await writeFile(file, withSettingsTable(await readFile(file, 'utf8'), idp));
  process.stdout.write(`scimulator: wrote the settings table of ${file}\n`);
}
