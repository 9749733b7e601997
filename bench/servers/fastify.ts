/**
 * A benchmark child: fastify with the reference server's routes but no SCIM behind them, answering
 * the fixed bodies that raw node:http answers (serialized per request, as fastify does for an object).
 * The gap between it and raw node:http is the framework's; the gap to the reference server is ours.
 */
import fastify from 'fastify';
import { serveIpc } from '../lib/child.js';
import { fixedAnswers } from '../lib/users.js';

const { user, list, userName } = fixedAnswers();
const app = fastify();
app.addContentTypeParser('application/scim+json', { parseAs: 'string' }, (_request, body, done) => done(null, JSON.parse(body as string)));
app.addHook('onRequest', (_request, reply, done) => {
  reply.header('content-type', 'application/scim+json; charset=utf-8');
  done();
});
app.get('/scim/v2/Users', async () => list);
app.get('/scim/v2/Users/:id', async () => user);
app.patch('/scim/v2/Users/:id', async () => user);
app.post('/scim/v2/Users', async (_request, reply) => reply.code(201).send(user));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
serveIpc({ url: `${address}/scim/v2`, id: user.id, userName, seedMs: 0 });
