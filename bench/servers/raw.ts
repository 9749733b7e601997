/**
 * A benchmark child: plain `node:http` answering every request with a fixed JSON body of the size
 * the reference server sends (a user, or a one-user ListResponse): the practical limit of the platform.
 */
import { createServer } from 'node:http';
import { serveIpc } from '../lib/child.js';
import { userBody, userName } from '../lib/users.js';

const user = { ...userBody(5000), id: '2819c223-7f76-453a-919d-413861904646', meta: { resourceType: 'User', created: '2026-01-05T09:00:00.000Z', lastModified: '2026-01-05T09:00:00.000Z', location: 'http://127.0.0.1/scim/v2/Users/2819c223-7f76-453a-919d-413861904646', version: 'W/"1"' } };
const one = Buffer.from(JSON.stringify(user));
const list = Buffer.from(JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, startIndex: 1, itemsPerPage: 1, Resources: [user] }));

const server = createServer((request, response) => {
  const body = request.url!.includes('?') ? list : one;
  const status = request.method === 'POST' ? 201 : 200;
  const answer = () => {
    response.writeHead(status, { 'content-type': 'application/scim+json; charset=utf-8', 'content-length': body.length });
    response.end(body);
  };
  if (request.method === 'GET') answer();
  else request.resume().on('end', answer);
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  serveIpc({ url: `http://127.0.0.1:${port}/scim/v2`, id: user.id, userName: userName(5000), seedMs: 0 });
});
