import { getKey, isObject } from '../../../scim/schema/keys.js';
import { listOf, objectOf, sendOk, succeeded, TaskFailed, type ListPage, type OktaContext } from './context.js';
import { EVENT, message, testCredentialsFailed } from './messages.js';
import type { Task } from './transport.js';
import * as wire from './wire.js';

/* The To Okta side (Okta ref §9) and Test API Credentials (Okta ref §3). */

/**
 * Reads every page: startIndex 1, then + pageSize (or + itemsPerPage, UNVERIFIED) until it passes
 * totalResults (Okta ref §9.1, §13.14). A page without an integer totalResults ends the import as
 * a failure (Okta requires integers, Okta ref §2.4); an empty page ends it early.
 */
async function readAll(ctx: OktaContext, task: Task, resource: 'Users' | 'Groups'): Promise<{ resources: unknown[]; pages: number }> {
  const { settings } = ctx;
  const describe = (remote: string) => remote;
  const resources: unknown[] = [];
  let pages = 0;
  for (let startIndex = 1; ; ) {
    const reply = await sendOk(task, wire.listPage(resource, startIndex, settings.pageSize), describe);
    pages++;
    const body = objectOf(reply);
    const page: ListPage | undefined = body ? listOf(body, settings.listKeysIgnoreCase) : undefined;
    if (page?.totalResults === undefined) throw new TaskFailed(`the ListResponse for startIndex=${startIndex} has no integer totalResults`);
    resources.push(...page.resources);
    startIndex += settings.importAdvance === 'itemsPerPage' ? (page.itemsPerPage ?? page.resources.length) : settings.pageSize;
    if (startIndex > page.totalResults || page.resources.length === 0) return { resources, pages };
  }
}

/** Import Now for users: users with `active: false` are skipped (Okta ref §9.1, §13.15). */
export async function importUsers(ctx: OktaContext): Promise<void> {
  if (!ctx.settings.provisioningFeatures.importUsers) throw new Error('import-users needs settings.provisioningFeatures.importUsers: true');
  const task = ctx.task();
  await ctx.perform(task, { eventType: EVENT.importUsers }, (reason) => message.importing('users', ctx.settings.appName, reason), async () => {
    const { resources, pages } = await readAll(ctx, task, 'Users');
    const inactive = resources.filter((r) => isObject(r) && getKey(r, 'active') === false).length;
    return { scanned: resources.length - inactive, inactive, pages };
  });
}

/** Import Now for groups, members from each group's `members` (Okta ref §9.2). */
export async function importGroups(ctx: OktaContext): Promise<void> {
  if (!ctx.settings.provisioningFeatures.importGroups) throw new Error('import-groups needs settings.provisioningFeatures.importGroups: true');
  const task = ctx.task();
  await ctx.perform(task, { eventType: EVENT.importGroups }, (reason) => message.importing('groups', ctx.settings.appName, reason), async () => {
    const { resources, pages } = await readAll(ctx, task, 'Groups');
    const memberships = resources.reduce<number>((sum, r) => {
      const members = isObject(r) ? getKey(r, 'members') : undefined;
      return sum + (Array.isArray(members) ? members.length : 0);
    }, 0);
    return { groups: resources.length, memberships, pages };
  });
}

/**
 * Test API Credentials: `GET /Users?startIndex=1&count=2`, and `GET /Groups?startIndex=1&count=100`
 * when group import or push is on (UNVERIFIED for 2.0, hence `testConnectionChecksGroups`; Okta ref §3).
 * Anything but a 2xx fails the test with the dialog's text. It is no System Log task, so its outcome
 * has no event type.
 */
export async function testCredentials(ctx: OktaContext): Promise<void> {
  const { settings } = ctx;
  const task = ctx.task();
  const test = async (request: wire.WireRequest) => {
    const reply = await task.send(request);
    if (!succeeded(reply)) throw new TaskFailed(testCredentialsFailed(reply));
  };
  await ctx.perform(task, { check: 'test-api-credentials' }, (reason) => reason, async () => {
    await test(wire.listPage('Users', 1, settings.testConnectionCount));
    if (settings.testConnectionChecksGroups && (settings.provisioningFeatures.importGroups || settings.provisioningFeatures.pushGroups)) {
      await test(wire.listPage('Groups', 1, 100));
    }
  });
}
