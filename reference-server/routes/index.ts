import { registerDiscoveryRoutes } from './discovery.js';
import { registerMeRoutes } from './me.js';
import type { ScimRoutes } from './types.js';

/**
 * Every area's routes, mounted at the base path. Each area is one module exporting a ScimRoutes
 * and registering its paths with `routePath` (so that wrong methods get 405).
 *
 * TO ADD, one module each: /Users and /Users/:id, /Groups and /Groups/:id, POST /.search at the
 * root and under each resource type (RFC 7644 §3.4.3), and /Bulk (§3.7, with
 * `bodyLimit: options.bulk.maxPayloadSize` on its route).
 */
const AREAS: readonly ScimRoutes[] = [registerDiscoveryRoutes, registerMeRoutes];

export const registerRoutes: ScimRoutes = (app, context) => {
  for (const area of AREAS) area(app, context);
};
