import { randomBytes } from 'node:crypto';
import fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ScimError } from '../scim/errors.js';
import { META_MEMBERS } from '../scim/profile/fields.js';
import { authHook, CredentialChecker } from './auth.js';
import type { ServerContext } from './context.js';
import { registerBodyParsers, SCIM_CONTENT_TYPE } from './http/content-type.js';
import { adminGuard, registerAdminRoutes } from './faults/admin.js';
import { faultStep } from './faults/hook.js';
import { FaultInjector, type FaultControl } from './faults/injector.js';
import { REAL_TIMERS } from './faults/timers.js';
import { answerClientError, MAX_HEADER_BYTES } from './http/client-errors.js';
import { errorHandler } from './http/errors.js';
import { hostRefused } from './http/base-url.js';
import { absentAnswer, endpointOf, registerErrorAnswers } from './profile/answers.js';
import { MAX_PATH_SEGMENT } from './limits.js';
import { resolveOptions, type ReferenceServerOptions, type ResolvedOptions } from './options.js';
import { logRequests } from './request-log.js';
import { registerRoutes } from './routes/index.js';
import { storeFromSpec } from './store/open.js';
import { openFailure } from './store/spec.js';
import type { Store, TouchHook } from './store/types.js';
import { nextMeta } from './resources/meta.js';
import { Renderer, type MetaShown } from './resources/render.js';
import { createServices } from './resources/service.js';
import { registerInviteRoutes } from './team/admin.js';
import { registerTokenRoutes } from './admin/token.js';
import { MovedClock, registerClockRoutes } from './admin/clock.js';
import { Team, type InviteControl, type TeamControl } from './team/team.js';

export interface ReferenceServer {
  app: FastifyInstance;
  store: Store;
  /** The SCIM semantics of Users and Groups over the store, without HTTP (seeding, tests). */
  services: ServerContext['services'];
  /** Resources as JSON text, with the cache of renderings (its size: `renderer.cached`). */
  renderer: Renderer;
  options: ResolvedOptions;
  /** The faults injected into answers (docs/faults.md): install, add, clear, list. */
  faults: FaultControl;
  /** The pending invites of the profile's team (docs/profiles.md, `team`), as its admin sees them: list, accept, delete. */
  invites: InviteControl;
  /** The profile's team: `scimEnabled = false` makes /Users and /Groups answer 403 from now on. */
  team: TeamControl;
  /** The bearer token made up because no credential was configured (print it for the user); otherwise undefined. */
  generatedToken: string | undefined;
  /**
   * Accepts `token` from now on; the tokens accepted so far stay valid for the profile's
   * auth.rotationGrace seconds. A token accepted before is valid again, without end.
   */
  rotateToken(token: string): void;
  /** Binds `options.host`:`options.port` and resolves with the base URL, e.g. http://127.0.0.1:41234/scim/v2. */
  listen(): Promise<{ url: string }>;
  close(): Promise<void>;
}

/** The reference SCIM service provider, ready for `app.inject()` or `listen()`. */
export function createReferenceServer(options: ReferenceServerOptions = {}): ReferenceServer {
  // With the admin API, its admin may move the clock forward (admin/clock.ts).
  const clock = options.adminToken === undefined ? undefined : new MovedClock(options.now ?? (() => new Date()));
  const resolved = resolveOptions(clock ? { ...options, now: clock.now } : options);
  const configured = (options.tokens?.length ?? 0) + (options.basic?.length ?? 0) > 0;
  const generatedToken = configured ? undefined : randomBytes(24).toString('base64url');
  const checker = new CredentialChecker({
    tokens: generatedToken === undefined ? options.tokens : [generatedToken],
    basic: options.basic,
    forms: resolved.profile.auth.forms,
    now: resolved.now,
  });
  const touch: TouchHook = (type, resource) => {
    resource.meta = nextMeta(resource, type, resolved.now());
  };
  const made = typeof options.store !== 'object';
  const store = made ? storeFromSpec(options.store as string | undefined, { models: resolved.schemas.models, touch }) : (options.store as Store);
  const team = new Team(resolved.profile.team, store, resolved.now);
  const services = createServices(store, resolved, team);
  const { User: userMeta, Group: groupMeta } = resolved.profile.attributes;
  const meta: MetaShown | undefined = userMeta.meta.length + groupMeta.meta.length < 2 * META_MEMBERS.length ? { User: userMeta.meta, Group: groupMeta.meta } : undefined;
  const context: ServerContext = {
    options: resolved,
    store,
    services,
    renderer: new Renderer(store, resolved.schemas.models, meta),
    auth: { bearer: checker.acceptsTokens, basic: checker.acceptsBasic },
    team,
  };

  const handleError = errorHandler(resolved.profile.errors.scimType);
  const app = fastify({
    // With --log, one line per request comes from request-log.ts; fastify's logger keeps only a bug's stack trace, on stderr.
    logger: resolved.log ? { level: 'error', stream: process.stderr } : false,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: resolved.bodyLimit,
    // Resource ids up to 1 KiB reach the routes and get a SCIM 404 when unknown (fastify stops at 100 characters).
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_SEGMENT },
    frameworkErrors: handleError,
    // Errors Node's HTTP parser raises before fastify sees a request are answered as SCIM errors too.
    clientErrorHandler: answerClientError,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(absentAnswer(resolved));
  registerBodyParsers(app);
  const requestLog = resolved.log ? logRequests(app, resolved.log, (line) => process.stdout.write(line)) : undefined;
  const checkCredential = authHook(checker, resolved.publicDiscovery);
  const faults = new FaultInjector(resolved.basePath, resolved.now, options.faults);
  const injectFault = faultStep(app, faults, { timers: options.timers ?? REAL_TIMERS, now: resolved.now, onFault: requestLog?.fault });
  const checkAdmin = options.adminToken === undefined ? undefined : adminGuard(options.adminToken, options.tokens ?? []);
  const scimOff = scimOffAnswer(resolved.basePath);
  // One hook rather than several: each costs fastify a turn of its hook runner on every request.
  // Faults act once the credential is accepted: a request without one gets the 401, never a fault.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('content-type', SCIM_CONTENT_TYPE);
    const badHost = hostRefused(request);
    if (badHost !== undefined) return void reply.code(400).send(new ScimError(400, undefined, badHost).toBody());
    if (checkAdmin !== undefined && request.routeOptions.config.admin === true) return checkAdmin.call(app, request, reply, done);
    const next = faults.armed ? () => injectFault(request, reply, done) : done;
    checkCredential.call(app, request, reply, team.scimEnabled ? next : () => scimOff(request, reply, next));
  });
  registerErrorAnswers(app, resolved);
  app.register(async (scope) => registerRoutes(scope, context), { prefix: resolved.basePath });
  const rotateToken = (token: string) => checker.rotate(token, resolved.profile.auth.rotationGrace * 1000);
  if (checkAdmin !== undefined) {
    registerAdminRoutes(app, faults);
    registerInviteRoutes(app, team);
    registerTokenRoutes(app, rotateToken, options.adminToken!);
    registerClockRoutes(app, clock!);
  }

  return {
    app,
    store,
    services,
    renderer: context.renderer,
    options: resolved,
    faults,
    invites: team,
    team,
    generatedToken,
    rotateToken,
    async listen() {
      if (store.open) {
        try {
          await store.open();
        } catch (error) {
          throw openFailure(typeof options.store === 'string' ? options.store : undefined, error);
        }
      }
      const address = await app.listen({ host: resolved.host, port: resolved.port });
      return { url: `${address}${resolved.basePath}` };
    },
    async close() {
      await app.close();
      if (made) await store.close?.();
    },
  };
}

/**
 * With SCIM turned off for the team (a profile's `team.scimEnabled`), what /Users and /Groups
 * answer once the credential is accepted: 403, the status Postman's API lists (Postman ref §5).
 * Discovery still answers.
 */
function scimOffAnswer(basePath: string) {
  return (request: FastifyRequest, reply: FastifyReply, next: () => void): void => {
    const endpoint = endpointOf(request.url, basePath);
    if (endpoint === undefined || !/^\/(Users|Groups)\b/.test(endpoint)) return next();
    reply.code(403).send(new ScimError(403, undefined, 'SCIM provisioning is turned off for this team: a team admin turns it on in the team settings').toBody());
  };
}
