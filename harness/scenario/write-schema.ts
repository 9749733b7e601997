/**
 * Writes the editor schema, scenarios/scenario.schema.json, from the IdP descriptions the loader
 * checks scenarios with: `npx tsx harness/scenario/write-schema.ts`. A test fails while the
 * committed file differs from what this writes.
 */
import { writeFile } from 'node:fs/promises';
import { IDP_DESCRIPTIONS } from '../idp/descriptions.js';
import { scenarioSchemaFile } from './schema.js';
import { editorSchemaText } from './schema-document.js';

await writeFile(scenarioSchemaFile(), editorSchemaText(IDP_DESCRIPTIONS));
process.stdout.write(`scimulator: wrote ${scenarioSchemaFile()}\n`);
