import type { SourceRef } from '../types.js';

/**
 * A mistake in a scenario file, where it was written: printed as `file:line:col: message`. Line
 * and column are 0 when the mistake is the file itself (it does not exist, cannot be read): then
 * it prints as `file: message`.
 */
export class ScenarioFileError implements SourceRef {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly message: string,
  ) {}

  toString(): string {
    return this.line === 0 ? `${this.file}: ${this.message}` : `${this.file}:${this.line}:${this.column}: ${this.message}`;
  }
}

/** Thrown by `loadScenarioFile` when the file has mistakes; `message` lists them one a line. */
export class ScenarioLoadError extends Error {
  constructor(readonly errors: ScenarioFileError[]) {
    super(errors.join('\n'));
    this.name = 'ScenarioLoadError';
  }
}

/** A path given to find scenarios in that does not exist: a usage error, not a scenario mistake. */
export class ScenarioPathError extends Error {
  constructor(readonly path: string) {
    super(`no such file or folder: ${path}`);
    this.name = 'ScenarioPathError';
  }
}
