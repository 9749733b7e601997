/**
 * Writes the editor schema, scenarios/scenario.schema.json, from the IdPs the loader checks
 * scenarios for: `npm run schema`. A test fails while the committed file differs from what this writes.
 */
import { writeFile } from 'node:fs/promises';
import { IDPS } from '../idp/registry.js';
import { scenarioSchemaFile } from '../scenario/schema.js';
import { editorSchemaText } from '../scenario/schema-document.js';

await writeFile(scenarioSchemaFile(), editorSchemaText(IDPS));
process.stdout.write(`scimulator: wrote ${scenarioSchemaFile()}\n`);
