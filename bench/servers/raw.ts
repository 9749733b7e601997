/**
 * A benchmark child: plain `node:http` answering every request with a fixed JSON body of the size
 * the reference server sends (a user, or a one-user ListResponse): the practical limit of the platform.
 */
import { createServer } from 'node:http';
import { serveIpc } from '../lib/child.js';
import { fixedAnswers } from '../lib/users.js';

const { user, list, userName } = fixedAnswers();
const one = Buffer.from(JSON.stringify(user));
const many = Buffer.from(JSON.stringify(list));

const server = createServer((request, response) => {
  const body = request.url!.includes('?') ? many : one;
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
  serveIpc({ url: `http://127.0.0.1:${port}/scim/v2`, id: user.id, userName, seedMs: 0 });
});
