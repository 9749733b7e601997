import { randomBytes } from 'node:crypto';
import fastify, { LogController, type FastifyInstance } from 'fastify';
import { authHook, CredentialChecker } from './auth.js';
import type { ServerContext } from './context.js';
import { registerBodyParsers, SCIM_CONTENT_TYPE } from './http/content-type.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { resolveOptions, type ReferenceServerOptions, type ResolvedOptions } from './options.js';
import { logRequests } from './request-log.js';
import { registerRoutes } from './routes/index.js';
import { MemoryStore } from './store/memory.js';
import type { Store, TouchHook } from './store/types.js';
import { nextMeta } from './resources/meta.js';
import { Renderer } from './resources/render.js';
import { createServices } from './resources/service.js';

export interface ReferenceServer {
  app: FastifyInstance;
  store: Store;
  /** The SCIM semantics of Users and Groups over the store, without HTTP (seeding, tests). */
  services: ServerContext['services'];
  options: ResolvedOptions;
  /** The bearer token made up because no credential was configured (print it for the user); otherwise undefined. */
  generatedToken: string | undefined;
  /** Binds `options.host`:`options.port` and resolves with the base URL, e.g. http://127.0.0.1:41234/scim/v2. */
  listen(): Promise<{ url: string }>;
  close(): Promise<void>;
}

/** The reference SCIM service provider, ready for `app.inject()` or `listen()`. */
export function createReferenceServer(options: ReferenceServerOptions = {}): ReferenceServer {
  const resolved = resolveOptions(options);
  const configured = (options.tokens?.length ?? 0) + (options.basic?.length ?? 0) > 0;
  const generatedToken = configured ? undefined : randomBytes(24).toString('base64url');
  const checker = new CredentialChecker({
    tokens: generatedToken === undefined ? options.tokens : [generatedToken],
    basic: options.basic,
    now: resolved.now,
  });
  const touch: TouchHook = (type, resource) => {
    resource.meta = nextMeta(resource, type, resolved.now());
  };
  const store = options.store ?? new MemoryStore({ models: resolved.schemas.models, touch });
  const services = createServices(store, resolved);
  const context: ServerContext = {
    options: resolved,
    store,
    services,
    renderer: new Renderer(store, resolved.schemas.models),
    auth: { bearer: generatedToken !== undefined || (options.tokens?.length ?? 0) > 0, basic: (options.basic?.length ?? 0) > 0 },
  };

  const handleError = errorHandler(resolved.variations.has('no-scim-type'));
  const app = fastify({
    // With --log, one line per request comes from request-log.ts; fastify's logger keeps only a bug's stack trace, on stderr.
    logger: resolved.log ? { level: 'error', stream: process.stderr } : false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: resolved.bodyLimit,
    // Resource ids up to 1 KiB reach the routes and get a SCIM 404 when unknown (fastify stops at 100 characters).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    frameworkErrors: handleError,
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(notFoundHandler(resolved.basePath));
  registerBodyParsers(app);
  if (resolved.log) logRequests(app, resolved.log, (line) => process.stdout.write(line));
  const checkCredential = authHook(checker, resolved.publicDiscovery);
  // One hook rather than two: each costs fastify a turn of its hook runner on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('content-type', SCIM_CONTENT_TYPE);
    checkCredential.call(app, request, reply, done);
  });
  app.register(async (scope) => registerRoutes(scope, context), { prefix: resolved.basePath });

  return {
    app,
    store,
    services,
    options: resolved,
    generatedToken,
    async listen() {
      const address = await app.listen({ host: resolved.host, port: resolved.port });
      return { url: `${address}${resolved.basePath}` };
    },
    async close() {
      await app.close();
    },
  };
}
