import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { knownJsonSchema } from './schema.js';

/** docs/known-failures.schema.json, as written by `npx tsx harness/known/write-schema.ts`. */
export function knownSchemaText(): string {
  return `${JSON.stringify(knownJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = fileURLToPath(new URL('../../docs/known-failures.schema.json', import.meta.url));
  writeFileSync(file, knownSchemaText());
  process.stdout.write(`wrote ${file}\n`);
}
