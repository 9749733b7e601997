/**
 * A benchmark child: the reference server, seeded through `services` (no HTTP), on a free loopback
 * port. It runs the compiled `dist/`, as users do (`npm run bench` compiles first).
 */
import { LENIENT } from '../../dist/scim/compat.js';
import { createReferenceServer } from '../../dist/reference-server/app.js';
import { serveIpc } from '../lib/child.js';
import { GROUP_SCHEMA, TOKEN, userBody, userName } from '../lib/users.js';

const config = JSON.parse(process.argv[2] ?? '{}') as { users?: number; groups?: number; membersPerGroup?: number; lenient?: boolean; gc?: boolean };
const users = config.users ?? 0;
const server = createReferenceServer({ tokens: [TOKEN], host: '127.0.0.1', port: 0, ...(config.lenient ? { compat: LENIENT } : {}) });
const started = performance.now();
const ids: string[] = [];
for (let i = 0; i < users; i++) ids.push((await server.services.User.create(userBody(i))).id as string);
const perGroup = config.membersPerGroup ?? 10;
for (let g = 0; g < (config.groups ?? 0); g++) {
  const members = Array.from({ length: Math.min(perGroup, ids.length) }, (_, k) => ({ value: ids[(g * perGroup + k) % ids.length]! }));
  await server.services.Group.create({ schemas: [GROUP_SCHEMA], displayName: `group-${g}`, members });
}
const seedMs = performance.now() - started;
const middle = Math.floor(users / 2);
const { url } = await server.listen();
if (config.gc) for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
serveIpc({ url, id: ids[middle] ?? '', userName: userName(middle), seedMs });
