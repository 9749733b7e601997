import { randomBytes, randomUUID } from 'node:crypto';

/** A template that cannot be filled: a value no earlier step saved, or a malformed placeholder. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/** A fresh run id: 8 hex digits, part of every unique value of the run. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}

/**
 * The values templates draw on in one scenario: values saved by earlier steps, and unique values
 * (`scim-<run id>-<scenario index>-<label>`) that keep scenarios apart from each other and from
 * data already on the target.
 */
export class Vars {
  readonly baseUrl: string;
  private readonly prefix: string;
  private readonly saved = new Map<string, unknown>();
  /** Why a value was not saved (its step failed), for a better message than "never saved". */
  private readonly unsaved = new Map<string, string>();

  constructor(runId: string, scenarioIndex: number, baseUrl: string) {
    this.baseUrl = baseUrl;
    this.prefix = `scim-${runId}-${scenarioIndex}`;
  }

  unique(label: string): string {
    return `${this.prefix}-${label}`;
  }

  /** Whether a value holds one of this scenario's unique values: a name only it can have given. */
  holdsUnique(value: string): boolean {
    return value.includes(`${this.prefix}-`);
  }

  has(name: string): boolean {
    return this.saved.has(name);
  }

  get(name: string): unknown {
    return this.saved.get(name);
  }

  set(name: string, value: unknown): void {
    this.saved.set(name, value);
    this.unsaved.delete(name);
  }

  /** Notes that `name` could not be saved, and why (`step 1 failed`). */
  markUnsaved(name: string, reason: string): void {
    if (!this.saved.has(name)) this.unsaved.set(name, reason);
  }

  whyUnsaved(name: string): string | undefined {
    return this.unsaved.get(name);
  }
}

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const WHOLE = /^\{\{\s*([^{}]*?)\s*\}\}$/;
const LABEL = /^[A-Za-z0-9_-]+$/;

function resolve(name: string, vars: Vars, step: number): unknown {
  const where = `step ${step + 1}`;
  if (name === 'uuid') return randomUUID();
  if (name === 'baseUrl') return vars.baseUrl;
  if (name === 'unique' || name.startsWith('unique.')) {
    const label = name.slice('unique.'.length);
    if (name === 'unique' || !LABEL.test(label)) {
      throw new TemplateError(`${where} uses {{${name}}}: a unique value needs a label of letters, digits, - or _, e.g. {{unique.user}}`);
    }
    return vars.unique(label);
  }
  if (vars.has(name)) return vars.get(name);
  const why = vars.whyUnsaved(name);
  throw new TemplateError(
    why === undefined ? `${where} uses {{${name}}}, which no earlier step saved` : `${where} uses {{${name}}}, which was not saved because ${why}`,
  );
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function fillString(text: string, vars: Vars, step: number): unknown {
  // Exactly one placeholder keeps the saved value's type: `count: "{{total}}"` stays a number.
  const whole = WHOLE.exec(text);
  if (whole) return resolve(whole[1] ?? '', vars, step);
  return text.replace(PLACEHOLDER, (_, name: string) => asText(resolve(name, vars, step)));
}

/**
 * Fills `{{name}}`, `{{unique.label}}`, `{{uuid}}` and `{{baseUrl}}` in every string of a JSON
 * value, object keys included. `step` is the step's index from 0, for messages. Throws TemplateError.
 */
export function fillTemplates(value: unknown, vars: Vars, step: number): unknown {
  if (typeof value === 'string') return fillString(value, vars, step);
  if (Array.isArray(value)) return value.map((v) => fillTemplates(v, vars, step));
  if (typeof value === 'object' && value !== null) {
    // fromEntries, not assignment: a `__proto__` key stays a key.
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [asText(fillString(k, vars, step)), fillTemplates(v, vars, step)]));
  }
  return value;
}
