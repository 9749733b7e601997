/**
 * A benchmark child: the reference server, seeded through `services` (no HTTP), on a free loopback
 * port. It runs the compiled `dist/`, as users do (`npm run bench` compiles first). `store` is a
 * postgres:// URL or left out for the memory store; `ids` sends the seeded ids and the groups' ids
 * with the ready message.
 */
import { LENIENT } from '../../dist/scim/compat.js';
import { createReferenceServer } from '../../dist/reference-server/app.js';
import { serveIpc } from '../lib/child.js';
import { GROUP_SCHEMA, TOKEN, userBody, userName } from '../lib/users.js';

const config = JSON.parse(process.argv[2] ?? '{}') as { users?: number; groups?: number; membersPerGroup?: number; lenient?: boolean; gc?: boolean; store?: string; ids?: boolean };
const users = config.users ?? 0;
const server = createReferenceServer({ tokens: [TOKEN], host: '127.0.0.1', port: 0, ...(config.lenient ? { compat: LENIENT } : {}), ...(config.store ? { store: config.store } : {}) });
// listen() opens the store first (a PostgreSQL store runs its migrations), so seeding follows it.
const { url } = await server.listen();
const started = performance.now();
const ids: string[] = [];
for (let i = 0; i < users; i++) ids.push((await server.services.User.create(userBody(i))).id as string);
const perGroup = config.membersPerGroup ?? 10;
const groupIds: string[] = [];
for (let g = 0; g < (config.groups ?? 0); g++) {
  const members = Array.from({ length: Math.min(perGroup, ids.length) }, (_, k) => ({ value: ids[(g * perGroup + k) % ids.length]! }));
  groupIds.push((await server.services.Group.create({ schemas: [GROUP_SCHEMA], displayName: `group-${g}`, members })).id as string);
}
const seedMs = performance.now() - started;
const middle = Math.floor(users / 2);
if (config.gc) for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
serveIpc({ url, id: ids[middle] ?? '', userName: userName(middle), seedMs, ...(config.ids && { ids, groupIds }) });
