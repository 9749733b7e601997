/** The store could not be got ready (a database unreachable, refusing the credentials, or of a newer schema). */
export class StoreOpenError extends Error {}

/** `error`, met opening the store `spec` names (undefined: one given as an object), in words that never show a password. */
export function openFailure(spec: string | undefined, error: unknown): StoreOpenError {
  const where = spec === undefined ? '' : ` at ${shownStore(spec)}`;
  return new StoreOpenError(`cannot open the store${where}: ${(error as Error).message}`, { cause: error });
}

/** A store's URL as it may be shown: without its password. */
export function shownStore(spec: string): string {
  try {
    const url = new URL(spec);
    if (url.password) url.password = '***';
    return url.href;
  } catch {
    return spec.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
  }
}
