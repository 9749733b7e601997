import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../scim/', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('scim/ is pure protocol logic', () => {
  it.each(sources(root).map((file) => [file.slice(root.length), file]))('%s imports nothing that does I/O', (_name, file) => {
    const imports = [...readFileSync(file, 'utf8').matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]!);
    const outside = imports.filter((spec) => !spec.startsWith('.'));
    expect(outside.filter((spec) => /^(node:|fs|http|https|net|undici|fastify|child_process)/.test(spec))).toEqual([]);
    expect(imports.filter((spec) => /\/(reference-server|harness|reports)\//.test(spec))).toEqual([]);
  });
});
