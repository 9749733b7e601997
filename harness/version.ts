import { readFileSync } from 'node:fs';

/** The package's own version, read once from package.json (two folders up from dist/harness and from harness/). */
function readVersion(): string {
  for (const relative of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(relative, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'scimulator' && pkg.version) return pkg.version;
    } catch {
      // Not at this depth: try the next.
    }
  }
  return '0.0.0';
}

export const VERSION = readVersion();
