import { baseUrl } from '../http/base-url.js';
import { routePath } from '../http/path-route.js';
import { runBulk } from '../resources/bulk.js';
import type { ScimRoutes } from './types.js';

/** POST /Bulk (RFC 7644 §3.7), whose bodies may reach maxPayloadSize rather than the server's body limit. */
export const registerBulkRoutes: ScimRoutes = (app, context) => {
  routePath(
    app,
    '/Bulk',
    {
      async POST(request, reply) {
        const answer = await runBulk(request.body, context, baseUrl(request, context.options.basePath), (error) => {
          request.log.error({ err: error }, 'unexpected error in a bulk operation');
        });
        return reply.code(200).send(answer);
      },
    },
    { bodyLimit: context.options.bulk.maxPayloadSize },
  );
};
