import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { profileJsonSchema } from '../../scim/profile/index.js';

/**
 * profiles/profile.schema.json, the editor's schema of a profile file, made from the format's field
 * table (scim/profile/fields.ts). Run `npx tsx reference-server/profile/write-schema.ts` after
 * changing the format; a test fails while the file is out of date.
 */
export function profileSchemaText(): string {
  return `${JSON.stringify(profileJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = fileURLToPath(new URL('../../profiles/profile.schema.json', import.meta.url));
  writeFileSync(file, profileSchemaText());
  process.stdout.write(`wrote ${file}\n`);
}
