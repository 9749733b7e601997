/**
 * A benchmark child: a SCIM server built the way the `scimmy` + `scimmy-routers` documentation
 * shows, on express 4, with an in-memory store: users in a Map by id, `resource.filter.match()` for
 * filters (SCIMMY's own evaluator), and a userName index only for the uniqueness check on create.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import SCIMMY from 'scimmy';
import SCIMMYRouters from 'scimmy-routers';
import { serveIpc } from '../lib/child.js';
import { TOKEN, userBody, userName } from '../lib/users.js';

type Stored = Record<string, any> & { id: string; userName: string };
const config = JSON.parse(process.argv[2] ?? '{}') as { users?: number };
const byId = new Map<string, Stored>();
const byUserName = new Map<string, string>();

function save(data: Record<string, any>, id: string, created?: Stored): Stored {
  const now = new Date().toISOString();
  const user: Stored = { ...data, id, userName: String(data.userName), meta: { created: created?.meta?.created ?? now, lastModified: now } };
  const key = String(user.userName).toLowerCase();
  const holder = byUserName.get(key);
  if (holder !== undefined && holder !== id) throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${user.userName} is taken`);
  if (created) byUserName.delete(String(created.userName).toLowerCase());
  byUserName.set(key, id);
  byId.set(id, user);
  return user;
}

SCIMMY.Resources.declare(SCIMMY.Resources.User)
  .ingress((resource: any, data: any) => {
    if (resource.id) {
      const existing = byId.get(resource.id);
      if (!existing) throw new SCIMMY.Types.Error(404, null as any, `Resource ${resource.id} not found`);
      return save({ ...data }, existing.id, existing);
    }
    return save({ ...data }, randomUUID());
  })
  .egress((resource: any) => {
    if (resource.id) {
      const user = byId.get(resource.id);
      if (!user) throw new SCIMMY.Types.Error(404, null as any, `Resource ${resource.id} not found`);
      return user;
    }
    const all = [...byId.values()];
    return resource.filter ? resource.filter.match(all) : all;
  })
  .degress((resource: any) => {
    const user = byId.get(resource.id);
    if (!user) throw new SCIMMY.Types.Error(404, null as any, `Resource ${resource.id} not found`);
    byId.delete(user.id);
    byUserName.delete(user.userName.toLowerCase());
  });

const users = config.users ?? 0;
const started = performance.now();
const ids: string[] = [];
for (let i = 0; i < users; i++) ids.push((await new SCIMMY.Resources.User().write(userBody(i))).id as string);
const seedMs = performance.now() - started;

const app = express();
app.use(
  '/scim/v2',
  new SCIMMYRouters({
    type: 'bearer',
    handler: (request: express.Request) => {
      if (request.header('authorization') !== `Bearer ${TOKEN}`) throw new Error('Authorization not detected!');
      return 'bench';
    },
  }) as unknown as express.Router,
);
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  const middle = Math.floor(users / 2);
  serveIpc({ url: `http://127.0.0.1:${port}/scim/v2`, id: ids[middle] ?? '', userName: userName(middle), seedMs });
});
