/**
 * Group export (Entra ref §5.2, §7), after the users: the match, then a create (empty) or a PATCH of
 * what differs, then the members added and removed by PATCH; or a delete once the group is deleted
 * in Entra or leaves the scope. Entra never reads members back.
 */
import { getKey, type JsonObject } from '../../../scim/schema/keys.js';
import type { EntraGroup } from './directory.js';
import { createLeaves, diff, ObjectFailed, resourceOf, type CycleContext } from './export-common.js';
import { errors, skips, type LogEntry } from './logs.js';
import { matchingOrder } from './mapping.js';
import type { GroupLink } from './state.js';
import * as wire from './wire.js';

/** Members are not a value of the create or the diff: they go in PATCHes of their own (Entra ref §7.4–§7.5). */
const MEMBERS = 'members';

export function groupEntry(ctx: CycleContext, group: EntraGroup): LogEntry {
  return ctx.entry({ type: 'Group', display: String(group.properties.displayName), name: group.name, objectId: group.objectId });
}

/** Whether exporting the group deletes it in the target (Entra ref §5.8). */
export function deletesGroup(ctx: CycleContext, group: EntraGroup): boolean {
  const { tenant, settings } = ctx.env;
  return !tenant.groupInScope(group, settings) && settings.targetObjectActions.groups.delete;
}

/** A group read with excludedAttributes=members must carry none (Entra ref §9, MultipleEntriesInResponse). */
function readableGroup(resource: JsonObject): JsonObject {
  const members = getKey(resource, MEMBERS);
  if (Array.isArray(members) && members.length > 0) {
    throw new ObjectFailed('match', 'SystemForCrossDomainIdentityManagementMultipleEntriesInResponse', { error: errors.membersReturned });
  }
  return resource;
}

/** What differs in the group's own attributes; groups never send a Remove for a cleared value. */
function changesOf(ctx: CycleContext, group: EntraGroup, link: GroupLink, resource: JsonObject): wire.Change[] {
  const { tenant, groupMappings } = ctx.env;
  return diff(groupMappings, tenant.groupView(group), resource, { own: MEMBERS, exported: link.exported, removeCleared: false }).changes;
}

/**
 * Groups after users: created empty, then members added by PATCH; members are never read back
 * (Entra ref §5.2, §7). `only`, on demand, names the members Entra adds (up to 5, §5.9).
 */
export async function exportGroup(ctx: CycleContext, group: EntraGroup, only?: ReadonlySet<string>): Promise<void> {
  const { tenant, state, settings, groupMappings } = ctx.env;
  const key = `group:${group.name}`;
  const entry = groupEntry(ctx, group);
  let link = state.groups.get(group.name);
  if (!tenant.groupInScope(group, settings)) return deleteGroup(ctx, group, link!, entry, key);
  entry.step('EntryImport', 'Import', 'Success', `Retrieved Group '${entry.subject.display}' from Azure Active Directory`);
  const action = (failure: ObjectFailed) => (failure.phase === 'create' ? 'Create' : failure.phase === 'match' ? 'Other' : 'Update');
  await ctx.attempt(entry, key, action, async () => {
    let created = false;
    const changes: wire.Change[] = [];
    if (!link || settings.incrementalLookup === 'filter') {
      const found = await ctx.findMatch(groupMappings, tenant.groupView(group), (a, v) => wire.findGroups(a, v, settings), entry);
      if (found === 'missing') return ctx.recordSkip(entry, skips.matchingValueMissing(matchingOrder(groupMappings)[0]!.target));
      if (found === undefined) {
        if (!settings.targetObjectActions.groups.create) return ctx.recordSkip(entry, skips.actionOff('create'));
        link = await createGroup(ctx, group, entry);
        created = true;
      } else {
        readableGroup(found);
        const id = String(getKey(found, 'id'));
        if (link?.id !== id) link = state.linkGroup(group.name, id);
        changes.push(...changesOf(ctx, group, link, found));
      }
    } else {
      changes.push(...changesOf(ctx, group, link, readableGroup(await ctx.readResource(wire.getGroup(link.id), entry))));
    }
    entry.targetId = link.id;
    if (!settings.targetObjectActions.groups.update) changes.length = 0;
    if (changes.length > 0) {
      await ctx.send(wire.patchGroup(link.id, changes, ctx.dialect), 'update');
      for (const change of changes) {
        entry.modify(change.target, null, change.value);
        link.exported.set(change.target, change.value);
      }
    }
    const membersChanged = await exportMembers(ctx, group, link, entry, only);
    if (created) ctx.recordSuccess(entry, key, 'Create', 'create');
    else if (changes.length > 0 || membersChanged) ctx.recordSuccess(entry, key, 'Update', 'update');
    else {
      ctx.settle(key);
      ctx.recordSkip(entry, skips.redundant('group'));
    }
  });
}

async function createGroup(ctx: CycleContext, group: EntraGroup, entry: LogEntry): Promise<GroupLink> {
  const { settings, state, tenant, groupMappings } = ctx.env;
  const leaves = createLeaves(groupMappings, tenant.groupView(group), { target: MEMBERS });
  const created = resourceOf(await ctx.send(wire.createGroup(leaves, settings.adscimGroupSchema), 'create'), 'create');
  const link = state.linkGroup(group.name, String(getKey(created, 'id')));
  for (const leaf of leaves) {
    link.exported.set(leaf.target, leaf.value);
    entry.modify(leaf.target, null, leaf.value);
  }
  return link;
}

/**
 * Adds the provisioned members Entra has not added yet, removes those who left (Entra ref
 * §7.4–§7.5); true if it sent any. A member that is itself a group goes as a member value, its
 * target id, once that group is provisioned: its members are not flattened into this one (§7.4).
 */
async function exportMembers(ctx: CycleContext, group: EntraGroup, link: GroupLink, entry: LogEntry, only?: ReadonlySet<string>): Promise<boolean> {
  const { settings, state, groupMappings } = ctx.env;
  if (!groupMappings.some((m) => m.target === MEMBERS)) return false;
  const size = settings.memberBatchSize;
  const idOf = (name: string) => (state.users.get(name) ?? state.groups.get(name))?.id;
  const considered = (name: string) => idOf(name) !== undefined && (only === undefined || only.has(name));
  const adds = group.members.filter((m) => considered(m) && !link.members.has(m));
  const removes = [...link.members].filter((m) => !group.members.includes(m) && considered(m));
  const ids = (names: string[]) => names.map((name) => idOf(name)!);
  const requests = [
    ...wire.addMembers(link.id, ids(adds), ctx.dialect, size).map((request, i) => ({ request, names: adds.slice(i * size, (i + 1) * size), add: true })),
    ...wire.removeMembers(link.id, ids(removes), ctx.dialect, size).map((request, i) => ({ request, names: removes.slice(i * size, (i + 1) * size), add: false })),
  ];
  for (const { request, names, add } of requests) {
    await ctx.send(request, 'update');
    for (const name of names) {
      if (add) link.members.add(name);
      else link.members.delete(name);
    }
  }
  if (adds.length > 0 || removes.length > 0) entry.modify(MEMBERS, removes.length > 0 ? ids(removes).join(', ') : null, adds.length > 0 ? ids(adds).join(', ') : null);
  return requests.length > 0;
}

/** A group deleted in Entra, or out of scope, is deleted when Delete is a target object action (Entra ref §7.6). */
function deleteGroup(ctx: CycleContext, group: EntraGroup, link: GroupLink, entry: LogEntry, key: string): Promise<void> {
  const { settings, state } = ctx.env;
  const forget = () => {
    state.groups.delete(group.name);
    for (const parent of state.groups.values()) parent.members.delete(group.name);
  };
  return ctx.deleteResource(entry, key, {
    targetId: link.id,
    request: wire.deleteGroup(link.id),
    why: group.deleted ? `Group '${entry.subject.display}' was deleted from Azure Active Directory` : `Group '${entry.subject.display}' left the provisioning scope`,
    allowed: settings.targetObjectActions.groups.delete,
    // Entra keeps no unmanaged group: with Delete off it forgets the link all the same.
    unmanage: forget,
    forget,
  });
}
