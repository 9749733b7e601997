/** How the harness authenticates to the target: `--token`, `--auth-header`, `--basic`, or nothing. */
export type Credentials =
  | { kind: 'bearer'; token: string }
  | { kind: 'header'; name: string; value: string }
  | { kind: 'basic'; user: string; password: string }
  | { kind: 'none' };

/** The header that carries the credentials, with a lower-case name; undefined for `none`. */
export function authHeader(credentials: Credentials): { name: string; value: string } | undefined {
  switch (credentials.kind) {
    case 'bearer':
      return { name: 'authorization', value: `Bearer ${credentials.token}` };
    case 'header':
      return { name: credentials.name.toLowerCase(), value: credentials.value };
    case 'basic':
      return { name: 'authorization', value: `Basic ${basicToken(credentials.user, credentials.password)}` };
    case 'none':
      return undefined;
  }
}

/**
 * The strings of the credentials that must never be recorded. The Base64 form of a Basic pair is
 * a secret too: a server that echoes the Authorization header would otherwise leak it.
 */
export function credentialSecrets(credentials: Credentials): string[] {
  switch (credentials.kind) {
    case 'bearer':
      return [credentials.token];
    case 'header':
      return [credentials.value];
    case 'basic':
      return [credentials.password, basicToken(credentials.user, credentials.password)];
    case 'none':
      return [];
  }
}

function basicToken(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}
