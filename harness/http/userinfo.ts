/*
 * A `user:password@` in a target URL (issue 20): a credential, so never recorded, printed or
 * reported. Kept apart from the client so that the CLI can use it without loading undici.
 */

/** `URL` as written without its `user:password@`; text that is not an absolute URL is left alone. */
export function withoutUserinfo(url: string): string {
  return url.replace(/^([a-z][a-z\d+.-]*:\/\/)[^/?#]*@/i, '$1');
}

/** The userinfo of `url`, whole and in parts, as written and decoded: secrets for the redactor (a user name alone may be a token). */
export function userinfoSecrets(url: URL): string[] {
  const parts = [url.username, url.password, url.password === '' ? url.username : `${url.username}:${url.password}`];
  return [...new Set(parts.flatMap((part) => [part, decoded(part)]))].filter((part) => part !== '');
}

/** The userinfo as Basic credentials, decoded. */
export function userinfoCredentials(url: URL): { user: string; password: string } {
  return { user: decoded(url.username), password: decoded(url.password) };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
