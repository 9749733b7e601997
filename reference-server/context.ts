import type { ResolvedOptions } from './options.js';
import type { Renderer } from './resources/render.js';
import type { ResourceService } from './resources/service.js';
import type { ResourceTypeName, Store } from './store/types.js';
import type { Team } from './team/team.js';

/** What every route module is given. */
export interface ServerContext {
  options: ResolvedOptions;
  store: Store;
  /** The SCIM semantics of Users and Groups over the store. */
  services: Record<ResourceTypeName, ResourceService>;
  /** Resources as JSON text, as clients see them. */
  renderer: Renderer;
  /** The authentication schemes enabled, for /ServiceProviderConfig. */
  auth: { bearer: boolean; basic: boolean };
  /** The profile's team: accounts outside it, invites, whether SCIM is on. */
  team: Team;
}
