import { hash, timingSafeEqual } from 'node:crypto';
import type { onRequestHookHandler } from 'fastify';
import { ScimError } from '../scim/errors.js';
import type { AuthForm } from '../scim/profile/fields.js';
import { SCIM_CONTENT_TYPE } from './http/content-type.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A discovery endpoint: answered without a credential when `publicDiscovery` is on. */
    discovery?: boolean;
  }
}

/** A bearer token; `expiresAt` gives a rotated-out token a grace period: it is accepted until that instant. */
export interface BearerTokenOption {
  token: string;
  expiresAt?: Date | string | number;
}

export interface BasicCredentialOption {
  user: string;
  password: string;
}

export interface CredentialOptions {
  tokens?: readonly (string | BearerTokenOption)[];
  basic?: readonly BasicCredentialOption[];
  /**
   * The forms of Authorization header accepted (a profile's `auth.forms`): `bearer` (`Bearer <token>`),
   * `raw` (`<token>` alone) and `basic` (HTTP Basic). Default bearer and basic.
   */
  forms?: readonly AuthForm[];
  /** The clock that grace periods are checked against. */
  now: () => Date;
}

export type AuthResult =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'unsupportedScheme' | 'invalidToken' | 'expiredToken' | 'invalidBasic' };

interface Secret {
  digest: Buffer;
  expiresAt: number;
}

const REALM = 'scimulator';

/** SHA-256 first, so that every comparison is between equal-length buffers and length leaks nothing. */
function digest(secret: string): Buffer {
  return hash('sha256', secret, 'buffer');
}

/** The most bearer tokens a rotation keeps: rotated without end, a server forgets the token that expires first. */
const MAX_TOKENS = 64;

/** The index of the secret matching `presented`, comparing against every one in constant time; -1 when none does. */
function findSecret(secrets: readonly Secret[], presented: string): number {
  const candidate = digest(presented);
  let found = -1;
  for (let i = 0; i < secrets.length; i++) {
    if (timingSafeEqual(secrets[i]!.digest, candidate) && found === -1) found = i;
  }
  return found;
}

function instant(value: Date | string | number | undefined, token: number): number {
  if (value === undefined) return Infinity;
  const ms = value instanceof Date ? value.getTime() : typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`tokens[${token}].expiresAt is not a valid date: use an ISO 8601 instant or epoch milliseconds`);
  return ms;
}

/**
 * Checks an `Authorization` header against the configured bearer tokens and Basic pairs.
 * Throws at construction on a configuration a server could not use.
 */
export class CredentialChecker {
  private tokens: Secret[];
  private basic: Secret[];
  private readonly now: () => Date;
  private readonly forms: ReadonlySet<AuthForm>;
  /** The `WWW-Authenticate` challenges of a 401, one per enabled scheme (RFC 9110 §11.6.1). */
  readonly challenges: string[];

  constructor(options: CredentialOptions) {
    this.now = options.now;
    this.forms = new Set(options.forms ?? ['bearer', 'basic']);
    const tokenForms = this.forms.has('bearer') || this.forms.has('raw');
    this.tokens = (options.tokens ?? []).map((option, i) => {
      const { token, expiresAt } = typeof option === 'string' ? { token: option, expiresAt: undefined } : option;
      if (typeof token !== 'string' || token === '') throw new Error(`tokens[${i}] is empty: give a non-empty bearer token`);
      return { digest: digest(token), expiresAt: instant(expiresAt, i) };
    });
    this.basic = (options.basic ?? []).map(({ user, password }, i) => {
      // RFC 7617 §2: the user-id cannot contain a colon, since the first colon separates it from the password.
      if (typeof user !== 'string' || user === '' || user.includes(':')) {
        throw new Error(`basic[${i}].user must be a non-empty name without ":"`);
      }
      return { digest: digest(`${user}:${password}`), expiresAt: Infinity };
    });
    if (!tokenForms) this.tokens = [];
    if (!this.forms.has('basic')) this.basic = [];
    if (this.tokens.length === 0 && this.basic.length === 0) {
      const accepted = tokenForms ? 'one bearer token or one Basic user' : 'one Basic user (auth.forms accepts only basic)';
      throw new Error(`no credential configured: give at least ${accepted}`);
    }
    this.challenges = [];
    // A raw token has no scheme of its own: the Bearer challenge is the nearest (RFC 6750 §3).
    if (this.tokens.length > 0) this.challenges.push(`Bearer realm="${REALM}"`);
    if (this.basic.length > 0) this.challenges.push(`Basic realm="${REALM}", charset="UTF-8"`);
  }

  /** True when bearer tokens (in either form) are accepted; false when only Basic is. */
  get acceptsTokens(): boolean {
    return this.tokens.length > 0;
  }

  /** True when Basic credentials are accepted. */
  get acceptsBasic(): boolean {
    return this.basic.length > 0;
  }

  /**
   * Adds `token` and gives every token accepted so far `graceMs` more to live (a profile's
   * `auth.rotationGrace`): the expiresAt of a rotated-out token. A token accepted before lives again.
   */
  rotate(token: string, graceMs: number): void {
    if (typeof token !== 'string' || token === '') throw new Error('the new token is empty: give a non-empty bearer token');
    const until = this.now().getTime() + graceMs;
    for (const secret of this.tokens) secret.expiresAt = Math.min(secret.expiresAt, until);
    // A token accepted before is revived (a harness restoring the run's token): the same entry, which the cache of headers holds.
    const known = findSecret(this.tokens, token);
    if (known !== -1) this.tokens[known]!.expiresAt = Infinity;
    else this.tokens.push({ digest: digest(token), expiresAt: Infinity });
    // Bounded: rotations come from outside (the admin API); past the bound, the token that expires first is forgotten.
    if (this.tokens.length > MAX_TOKENS) this.tokens.splice(this.tokens.indexOf(this.tokens.reduce((a, b) => (b.expiresAt < a.expiresAt ? b : a))), 1);
    if (!this.challenges.some((c) => c.startsWith('Bearer'))) this.challenges.unshift(`Bearer realm="${REALM}"`);
  }

  check(authorization: string | undefined): AuthResult {
    const known = authorization === undefined ? undefined : this.accepted.get(authorization);
    if (known !== undefined) return this.unexpired(known);
    const found = this.match(authorization);
    if ('reason' in found) return found;
    // Bounded: a client could vary the header's spacing or case without end.
    if (this.accepted.size >= 64) this.accepted.clear();
    this.accepted.set(authorization!, found);
    return this.unexpired(found);
  }

  /**
   * Authorization headers that carried a valid secret, so that a client's every request is not
   * hashed again. A header that does not is never stored, and looking it up reveals nothing of a
   * secret: a Map compares the contents of two strings only when their hashes are equal.
   */
  private readonly accepted = new Map<string, Secret>();

  private unexpired(secret: Secret): AuthResult {
    if (secret.expiresAt !== Infinity && this.now().getTime() >= secret.expiresAt) return { ok: false, reason: 'expiredToken' };
    return { ok: true };
  }

  /** The secret an Authorization header carries, or why it carries none. */
  private match(authorization: string | undefined): Secret | Extract<AuthResult, { ok: false }> {
    if (authorization === undefined || authorization.trim() === '') return { ok: false, reason: 'missing' };
    const text = authorization.trim();
    const raw = this.forms.has('raw') && this.tokens.length > 0;
    if (raw) {
      const found = findSecret(this.tokens, text);
      if (found !== -1) return this.tokens[found]!;
    }
    const space = text.indexOf(' ');
    const scheme = (space === -1 ? text : text.slice(0, space)).toLowerCase();
    const credentials = space === -1 ? '' : text.slice(space + 1).trim();
    if (scheme === 'bearer' && this.forms.has('bearer') && this.tokens.length > 0) {
      const found = findSecret(this.tokens, credentials);
      return found === -1 ? { ok: false, reason: 'invalidToken' } : this.tokens[found]!;
    }
    if (scheme === 'basic' && this.basic.length > 0) {
      const found = findSecret(this.basic, Buffer.from(credentials, 'base64').toString('utf8'));
      return found === -1 ? { ok: false, reason: 'invalidBasic' } : this.basic[found]!;
    }
    // A raw token is any header value: one that is no token is a wrong token, not a wrong scheme.
    return { ok: false, reason: raw && scheme !== 'basic' ? 'invalidToken' : 'unsupportedScheme' };
  }

  /** The SCIM error for a failed check. Never quotes what the client sent: it may be a secret. */
  error(result: Exclude<AuthResult, { ok: true }>): ScimError {
    const schemes = [
      ...(this.tokens.length > 0 && this.forms.has('bearer') ? ['Bearer'] : []),
      ...(this.tokens.length > 0 && this.forms.has('raw') ? ['the token alone'] : []),
      ...(this.basic.length > 0 ? ['Basic'] : []),
    ].join(' or ');
    const detail = {
      missing: `Authentication required: send an Authorization header (${schemes})`,
      unsupportedScheme: `Unsupported authorization scheme: use ${schemes}`,
      invalidToken: this.forms.has('bearer') ? 'The bearer token is not valid' : 'The token is not valid',
      expiredToken: 'The bearer token has expired: it was rotated out and its grace period is over; use the current token',
      invalidBasic: 'The Basic credentials are not valid',
    }[result.reason];
    return new ScimError(401, undefined, detail);
  }
}

/**
 * The onRequest hook that guards every route, the 404 handler included. With `publicDiscovery`,
 * routes registered with `config: { discovery: true }` pass without a credential.
 */
export function authHook(checker: CredentialChecker, publicDiscovery: boolean): onRequestHookHandler {
  return function checkCredential(request, reply, done) {
    if (publicDiscovery && request.routeOptions.config.discovery === true) return done();
    const result = checker.check(request.headers.authorization);
    if (result.ok) return done();
    // Answer here rather than through the error handler: the challenge headers belong to this answer only.
    reply
      .code(401)
      .header('www-authenticate', checker.challenges.length === 1 ? checker.challenges[0] : checker.challenges)
      .type(SCIM_CONTENT_TYPE)
      .send(checker.error(result).toBody());
  };
}
