import { ScimError } from '../../scim/errors.js';
import { baseUrl } from '../http/base-url.js';
import { profileRoute } from '../profile/answers.js';
import { runBulk } from '../resources/bulk.js';
import type { ScimRoutes } from './types.js';

/** POST /Bulk (RFC 7644 §3.7), whose bodies may reach maxPayloadSize rather than the server's body limit. */
export const registerBulkRoutes: ScimRoutes = (app, context) => {
  if (!context.options.declared.bulk) {
    // RFC 7644 §3.12 Table 8: 501 "Service provider does not support the request operation".
    const unsupported = () => {
      throw new ScimError(501, undefined, 'Bulk operations are not supported: /ServiceProviderConfig declares bulk.supported false; send each operation as its own request');
    };
    profileRoute(app, context, '/Bulk', '/Bulk', { POST: unsupported });
    return;
  }
  profileRoute(
    app,
    context,
    '/Bulk',
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
