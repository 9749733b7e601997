import type { ResolvedOptions } from './options.js';
import type { Store } from './store/types.js';

/** What every route module is given. */
export interface ServerContext {
  options: ResolvedOptions;
  store: Store;
  /** The authentication schemes enabled, for /ServiceProviderConfig. */
  auth: { bearer: boolean; basic: boolean };
}
