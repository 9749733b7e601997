/** The store could not be got ready (a database unreachable, refusing the credentials, or of a newer schema). */
export class StoreOpenError extends Error {}

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
