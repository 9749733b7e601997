import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const REPORTS = join(ROOT, 'reports');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('reports depend on the run result alone', () => {
  it('import nothing of ours outside reports/ but harness/result.ts, so a saved result can be rendered by them alone', () => {
    const outside: string[] = [];
    for (const file of sources(REPORTS)) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
        const target = relative(ROOT, resolve(join(file, '..'), specifier!));
        if (!target.startsWith('reports/') && target !== 'harness/result.js') outside.push(`${relative(ROOT, file)} → ${target}`);
      }
    }
    expect(outside).toEqual([]);
  });
});
