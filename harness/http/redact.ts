import { assignKey, findKey, isObject, type JsonObject } from '../../scim/schema/keys.js';
import { authHeader, credentialSecrets, type Credentials } from './credentials.js';

export const REDACTED = '[redacted]';

/** Headers whose whole value is a credential; the scheme (`Bearer`, `Basic`) is kept as it helps debugging. */
const SCHEME_HEADERS = new Set(['authorization', 'proxy-authorization']);

/** A JSON string member whose key is a password (`password`, `urn:…:User:password`), for bodies that are not parsable JSON; its value is the second group. */
const PASSWORD_IN_TEXT = /("(?:[^"\\]*:)?password"\s*:\s*)("(?:[^"\\]|\\.)*")/gi;

/** True for `password` and a URN-qualified `…:password`, in any case: attribute names are case-insensitive (RFC 7643 §2.1). */
export function isPasswordName(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === 'password' || lower.endsWith(':password');
}

/**
 * Secrets shorter than this are redacted only where they are a whole value (a header, a string):
 * blanking every "t" of a one-letter test token inside URLs and bodies would destroy the record
 * without protecting anything.
 */
export const MIN_EMBEDDED_SECRET = 6;

/**
 * Removes credentials and passwords from everything the harness records: headers, URLs, bodies
 * and error messages. Built with the run's secrets (token, Basic password, `--secret` values);
 * every occurrence of one — raw, URL-encoded, escaped in a JSON string or in HTML — becomes `[redacted]`.
 */
export class Redactor {
  /** Longest first, so that a secret containing another is replaced whole. */
  private readonly secrets: string[];
  private readonly authHeaders: Set<string>;

  /** `authHeaders`: header names whose whole value is a credential (`--auth-header`). */
  constructor(secrets: readonly string[] = [], authHeaders: readonly string[] = []) {
    const forms = secrets.filter((s) => s.length > 0).flatMap((s) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), escapeHtml(s)]);
    this.secrets = [...new Set(forms)].sort((a, b) => b.length - a.length);
    this.authHeaders = new Set(authHeaders.map((h) => h.toLowerCase()));
  }

  /** This redactor plus the secrets and the header of `credentials`: a client can never record its own credentials. */
  withCredentials(credentials: Credentials): Redactor {
    const header = authHeader(credentials);
    return new Redactor([...this.secrets, ...credentialSecrets(credentials)], [...this.authHeaders, ...(header ? [header.name] : [])]);
  }

  /** This redactor plus `secrets`. */
  withSecrets(secrets: readonly string[]): Redactor {
    return secrets.length === 0 ? this : new Redactor([...this.secrets, ...secrets], [...this.authHeaders]);
  }

  text(value: string): string {
    let out = value;
    for (const secret of this.secrets) {
      if (out === secret) return REDACTED;
      if (secret.length >= MIN_EMBEDDED_SECRET && out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out;
  }

  /** A body that is not parsable JSON: secrets, and password members of JSON-looking text (a cut or malformed body). */
  bodyText(value: string): string {
    return this.text(value).replace(PASSWORD_IN_TEXT, `$1"${REDACTED}"`);
  }

  headers(headers: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      const lower = name.toLowerCase();
      if (SCHEME_HEADERS.has(lower)) out[name] = keepScheme(value);
      else if (this.authHeaders.has(lower)) out[name] = REDACTED;
      else out[name] = this.text(value);
    }
    return out;
  }

  /**
   * A JSON value: every `password` member at any depth, the `value` of any operation whose
   * `path` is a password (PATCH, and PATCH inside Bulk), and secrets in every string and key.
   */
  json(value: unknown): unknown {
    if (typeof value === 'string') return this.text(value);
    if (Array.isArray(value)) return value.map((v) => this.json(v));
    if (!isObject(value)) return value;
    const holdsPassword = passwordMembers(value);
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      // assignKey: a `__proto__` member stays a member.
      assignKey(out, this.text(key), holdsPassword(key) ? REDACTED : this.json(value[key]));
    }
    return out;
  }
}

/**
 * Which members of `object` hold a password: a `password` member, and the `value` of an operation
 * whose `path` is a password (PATCH, and PATCH inside Bulk).
 */
function passwordMembers(object: JsonObject): (key: string) => boolean {
  const pathKey = findKey(object, 'path');
  const path = pathKey === undefined ? undefined : object[pathKey];
  const passwordOperation = typeof path === 'string' && isPasswordName(path.trim());
  return (key) => isPasswordName(key) || (passwordOperation && key.toLowerCase() === 'value');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/**
 * The password values a request body sends, which the target may then echo anywhere (a `detail`,
 * an HTML page, a header): every `password` member at any depth, and the `value` of an operation
 * whose `path` is a password (PATCH, and PATCH inside Bulk) — what `Redactor.json` blanks by key.
 * A body that is not JSON: the password members of its JSON-looking text.
 */
export function sentPasswords(body: string | undefined): string[] {
  if (body === undefined || body.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(body) as unknown;
  } catch {
    return [...body.matchAll(PASSWORD_IN_TEXT)].map((match) => unquote(match[2]!));
  }
  const found: string[] = [];
  collectPasswords(json, found);
  return found;
}

/** A JSON string literal's text; as written when its escapes are broken (a malformed body). */
function unquote(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return literal.slice(1, -1);
  }
}

function collectPasswords(value: unknown, found: string[]): void {
  if (Array.isArray(value)) return value.forEach((item) => collectPasswords(item, found));
  if (!isObject(value)) return;
  const holdsPassword = passwordMembers(value);
  for (const key of Object.keys(value)) {
    if (holdsPassword(key)) collectScalars(value[key], found);
    else collectPasswords(value[key], found);
  }
}

/** Every string and number in a password member, whatever its shape. */
function collectScalars(value: unknown, found: string[]): void {
  if (typeof value === 'string' || typeof value === 'number') found.push(String(value));
  else if (Array.isArray(value)) value.forEach((item) => collectScalars(item, found));
  else if (isObject(value)) Object.values(value).forEach((item) => collectScalars(item, found));
}

function keepScheme(value: string): string {
  const scheme = /^(\S+)\s+\S/.exec(value.trim());
  return scheme ? `${scheme[1]} ${REDACTED}` : REDACTED;
}
