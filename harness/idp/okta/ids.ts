import { createHash } from 'node:crypto';

/*
 * Deterministic stand-ins for what Okta generates at random: object ids and placeholder passwords.
 * Each is a hash of the seed (the scenario id unless settings say otherwise) and a label, so that
 * the same scenario sends the same bytes on every run.
 */

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Observed placeholders mix letters, digits, `^` and `&`: `gl^m&qWZ`, `wA&&cprB` (Okta ref §4.2). */
const PASSWORD_CHARACTERS = `${ALPHANUMERIC}^&`;

function draw(alphabet: string, length: number, ...labels: string[]): string {
  const bytes = createHash('sha256').update(labels.join('\u0000')).digest();
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** An Okta object id: the 3-character type prefix (`00u` user, `00g` group) and 17 alphanumerics, 20 in all. */
export function oktaId(prefix: '00u' | '00g', seed: string, name: string): string {
  return prefix + draw(ALPHANUMERIC, 17, seed, prefix, name);
}

export const OKTA_ID = { '00u': /^00u[0-9A-Za-z]{17}$/, '00g': /^00g[0-9A-Za-z]{17}$/ } as const;

/** Random-looking 8-character passwords, the n-th one fixed by the seed (Okta ref §4.2, §8); `drawn` hears of each, a secret to redact. */
export class PasswordGenerator {
  private count = 0;

  constructor(
    private readonly seed: string,
    private readonly drawn: (password: string) => void = () => {},
  ) {}

  next(): string {
    const password = draw(PASSWORD_CHARACTERS, 8, this.seed, 'password', String(this.count++));
    this.drawn(password);
    return password;
  }
}
