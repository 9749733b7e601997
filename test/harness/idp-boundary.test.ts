import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IDPS } from '../../harness/idp/registry.js';

const root = resolve(new URL('../../', import.meta.url).pathname);
const harness = join(root, 'harness');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** The files a module imports, statically, by type or dynamically: relative specifiers only, `.js` read as the `.ts` source. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)'([^']+)'/g)].map((m) => m[1]!);
  return specs.filter((spec) => spec.startsWith('.')).map((spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts')));
}

/** Every module `file` reaches through its imports, each with the chain that leads there. */
function reachable(file: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[file, [file]]]);
  const queue = [file];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const next of importsOf(current)) {
      if (seen.has(next)) continue;
      seen.set(next, [...seen.get(current)!, next]);
      queue.push(next);
    }
  }
  return seen;
}

/** What names IdPs: each IdP's folder, and the registry that gathers them. */
const namesIdps = (file: string) => /^harness\/idp\/(registry\.ts$|[^/]+\/)/.test(relative(root, file));

const below = ['scenario', 'runner', 'steps'].flatMap((layer) => sources(join(harness, layer)));

describe('IdPs plug in at one boundary', () => {
  it.each(below.map((file) => [relative(root, file), file]))('%s reaches no IdP folder nor the registry', (_name, file) => {
    const chains = [...reachable(file)].filter(([module]) => namesIdps(module)).map(([, chain]) => chain.map((f) => relative(root, f)).join(' → '));
    expect(chains).toEqual([]);
  });

  it('has a constant registry: frozen, each definition under its own name', () => {
    expect(Object.isFrozen(IDPS)).toBe(true);
    for (const [name, definition] of Object.entries(IDPS)) {
      expect(definition.name).toBe(name);
      expect(Object.isFrozen(definition)).toBe(true);
    }
  });

  it('has no module-level state a test could patch: no exported let or var under harness/', () => {
    const mutable = sources(harness).filter((file) => /^export\s+(let|var)\s/m.test(readFileSync(file, 'utf8')));
    expect(mutable.map((file) => relative(root, file))).toEqual([]);
  });
});
