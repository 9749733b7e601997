import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context.js';

/** One area's route registration: called in the scope mounted at the base path. */
export type ScimRoutes = (app: FastifyInstance, context: ServerContext) => void;
