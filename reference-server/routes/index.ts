import { registerBulkRoutes } from './bulk.js';
import { registerDiscoveryRoutes } from './discovery.js';
import { registerMeRoutes } from './me.js';
import { registerGroupRoutes, registerUserRoutes } from './resources.js';
import { registerSearchRoutes } from './search.js';
import type { ScimRoutes } from './types.js';

/**
 * Every area's routes, mounted at the base path. Each area is one module exporting a ScimRoutes
 * and registering its paths with `routePath` (so that wrong methods get 405).
 */
const AREAS: readonly ScimRoutes[] = [registerDiscoveryRoutes, registerMeRoutes, registerUserRoutes, registerGroupRoutes, registerSearchRoutes, registerBulkRoutes];

export const registerRoutes: ScimRoutes = (app, context) => {
  for (const area of AREAS) area(app, context);
};
