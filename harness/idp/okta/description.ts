import { secretFields, type EventDescription, type IdpDescription, type Shape } from '../../scenario/idp-description.js';
import { ANY, BOOLEAN, COUNT, DURATION, GROUP, NOTHING, shorthand, TEXT, USER } from '../description-shapes.js';
import { settingFields } from '../settings-table.js';
import type { IdpVariant } from '../types.js';
import { OKTA_CAPABILITIES, oktaVariant } from './apps.js';
import { OKTA_ID } from './ids.js';
import { EVENT } from './messages.js';
import { OKTA_SETTINGS, readOktaSettings, RENAMED_SETTINGS } from './settings.js';

/*
 * The Okta simulator as scenario files see it (docs/okta.md): the scenario loader checks files
 * with it before anything is sent, and the editor schema is generated from it.
 */

const oneUser = (description: string) => ({ shape: USER, required: true, description });
const oneGroup = (description: string) => ({ shape: GROUP, required: true, description });

/** The events as scenarios write them (docs/okta.md); events.ts performs them. */
const EVENTS: Record<string, EventDescription> = {
  assign: {
    description: 'Assigns a user (directly, or through a group it is a member of) or a group to the app; a user who becomes assigned is provisioned: lookup, then POST, or a link (Okta ref §4).',
    argument: {
      type: 'either',
      shapes: [
        USER,
        {
          type: 'mapping',
          fields: {
            user: { shape: USER, description: 'The user to assign.' },
            group: { shape: GROUP, description: 'The group to assign: its active members not yet assigned are provisioned.' },
            via: { shape: GROUP, with: 'user', description: 'A group the user is a member of, assigned to bring the user in.' },
          },
          exactlyOne: ['user', 'group'],
        },
      ],
    },
  },
  unassign: {
    description: 'Removes a direct or group assignment; a user left with none is deactivated in the app (Okta ref §6).',
    argument: {
      type: 'either',
      shapes: [
        USER,
        {
          type: 'mapping',
          fields: { user: { shape: USER, description: 'The user assigned directly.' }, group: { shape: GROUP, description: 'The assigned group.' } },
          exactlyOne: ['user', 'group'],
        },
      ],
    },
  },
  update: {
    description: 'Changes Okta profile attributes; pushed to a provisioned, active user (Okta ref §5.1).',
    argument: {
      type: 'mapping',
      fields: {
        user: oneUser('The user whose profile changes.'),
        set: {
          shape: {
            type: 'mapping',
            others: { type: 'any' },
            nonEmpty: true,
            reserved: { id: 'ids are fixed in the directory', status: 'use the deactivate, suspend and reactivate events' },
          },
          required: true,
          description: 'Profile attributes and their new values; null clears one.',
        },
      },
    },
  },
  deactivate: {
    description: 'Deactivates the Okta user: its direct assignment goes and the app user is deactivated (Okta ref §6).',
    argument: shorthand(USER, { user: oneUser('An active or suspended user.') }),
  },
  reactivate: {
    description: 'Reactivates a deactivated Okta user; an app user that remained through a group is re-activated (Okta ref §7).',
    argument: shorthand(USER, { user: oneUser('A deactivated user.') }),
  },
  suspend: { description: 'Suspends the Okta user; nothing is sent (Okta ref §13.16).', argument: shorthand(USER, { user: oneUser('An active user.') }) },
  unsuspend: { description: 'Unsuspends the Okta user; nothing is sent (Okta ref §13.16).', argument: shorthand(USER, { user: oneUser('A suspended user.') }) },
  delete: {
    description: 'Deletes the Okta user: an active one is deactivated first; a deactivated one sends nothing (Okta ref §6).',
    argument: shorthand(USER, { user: oneUser('The user to delete.') }),
  },
  password: {
    description: 'Changes the Okta password; pushed with Sync Password (Okta ref §8).',
    argument: shorthand(USER, { user: oneUser('The user whose password changes.'), value: { shape: TEXT, secret: true, description: 'The new password; a seeded random one when not given.' } }),
  },
  'push-group': {
    description: 'Group Push: looks the group up by displayName, then creates or links it and pushes its members (Okta ref §10.1, §10.2).',
    argument: shorthand(GROUP, {
      group: oneGroup('The group to push.'),
      match: { shape: { type: 'enum', values: ['create', 'link'] }, default: 'create', description: 'create (link when the lookup finds it) or link (the lookup must find it).' },
    }),
  },
  'add-member': {
    description: 'Adds a user to a group: joining an assigned group provisions; a pushed group gets a membership PATCH (Okta ref §10.3).',
    argument: { type: 'mapping', fields: { group: oneGroup('The group.'), user: oneUser('The new member.') } },
  },
  'remove-member': {
    description: 'Removes a user from a group: leaving the last assigning group deactivates; a pushed group gets a membership PATCH (Okta ref §6, §10.3).',
    argument: { type: 'mapping', fields: { group: oneGroup('The group.'), user: oneUser('The member leaving.') } },
  },
  'rename-group': {
    description: 'Renames the Okta group; a pushed one is renamed in the app with renameAppGroups (Okta ref §10.4).',
    argument: { type: 'mapping', fields: { group: oneGroup('The group.'), name: { shape: TEXT, required: true, description: 'Its new name.' } } },
  },
  'push-now': { description: 'Push Now: replaces all members of a pushed group (Okta ref §10.3).', argument: shorthand(GROUP, { group: oneGroup('A pushed group.') }) },
  'unlink-group': {
    description: 'Unlinks a pushed group; with delete: true sends DELETE /Groups/{id} (Okta ref §10.5).',
    argument: shorthand(GROUP, { group: oneGroup('A pushed group.'), delete: { shape: BOOLEAN, default: false, description: 'true: delete the group in the app; false: leave it.' } }),
  },
  'import-users': { description: 'Import Now for users: pages of count=100 until totalResults (Okta ref §9.1).', argument: NOTHING },
  'import-groups': { description: 'Import Now for groups, with their members (Okta ref §9.2).', argument: NOTHING },
  'enable-provisioning': {
    description: 'Enables provisioning for the app (with settings.provisioningEnabled: false); nothing is sent, and users assigned before wait for provision-user (Okta ref §4).',
    argument: NOTHING,
  },
  'force-sync': {
    description: "Force Sync: pushes the profile of every provisioned, active, assigned user; users assigned before provisioning was enabled are not created (Okta ref §4, §5).",
    argument: NOTHING,
  },
  'provision-user': {
    description: 'Provision User: the create flow for an assigned user not yet provisioned, such as one assigned before provisioning was enabled (Okta ref §4).',
    argument: shorthand(USER, { user: oneUser('An assigned, active user Okta has not provisioned.') }),
  },
  'retry-tasks': {
    description: 'Retry Selected on Dashboard → Tasks: each failed assignment task of a user still assigned, active and not provisioned runs its create flow again, lookup first (Okta ref §11, §12).',
    argument: NOTHING,
  },
  'test-credentials': { description: 'Test API Credentials: GET /Users?startIndex=1&count=2, and /Groups when group import or push is on (Okta ref §3).', argument: NOTHING },
  advance: { description: 'Moves the virtual clock; with settings.importSchedule, the scheduled imports that fall due run on the way (Okta ref §9).', argument: DURATION },
};

const user: Shape = {
  type: 'mapping',
  fields: {
    login: { shape: TEXT, required: true, description: 'The Okta username (ada@example.com), sent as userName.' },
    email: { shape: TEXT, description: 'Default: login.' },
    firstName: { shape: TEXT, description: 'Sent as name.givenName.' },
    lastName: { shape: TEXT, description: 'Sent as name.familyName.' },
    displayName: { shape: TEXT, description: 'Default: "firstName lastName".' },
    locale: { shape: TEXT, default: 'en-US', description: 'Sent as locale.' },
    status: { shape: { type: 'enum', values: ['ACTIVE', 'SUSPENDED', 'DEPROVISIONED'] }, default: 'ACTIVE', description: "The Okta user's status before the scenario starts." },
    password: { shape: TEXT, secret: true, description: 'The Okta password, for Sync Password (Okta ref §8).' },
    id: { shape: { type: 'text', pattern: OKTA_ID['00u'].source, format: 'an Okta user id: 00u and 17 letters or digits' }, description: 'Default: 00u and 17 characters from the seed and the name.' },
  },
  // Any other profile attribute (title, department, a URN with a mapping…) is sent as docs/okta.md says.
  others: ANY,
};

const group: Shape = {
  type: 'mapping',
  fields: {
    name: { shape: TEXT, description: "The group's name in Okta, pushed as displayName; default: the key." },
    members: { shape: { type: 'list', items: USER }, default: [], description: 'Member user names, from directory.users.' },
    id: { shape: { type: 'text', pattern: OKTA_ID['00g'].source, format: 'an Okta group id: 00g and 17 letters or digits' }, description: 'Default: 00g and 17 characters from the seed and the name.' },
  },
};

export const DESCRIPTION: IdpDescription = {
  title: 'Okta',
  docs: 'docs/okta.md',
  events: EVENTS,
  capabilities: OKTA_CAPABILITIES,
  settings: secretFields(settingFields(OKTA_SETTINGS), ['secretToken']),
  renamedSettings: RENAMED_SETTINGS,
  readSettings: readOktaSettings,
  directory: {
    users: { shape: { type: 'mapping', others: user }, description: 'Users by the name steps and expect.target use: ada: { login: ada@example.com, firstName: Ada }.' },
    groups: { shape: { type: 'mapping', others: group }, description: 'Groups by name: eng: { name: Engineering, members: [ada] }.' },
  },
  outcomes: {
    description: 'An Okta task result (docs/okta.md, "Outcomes"); a string stands for { status: … }.',
    fields: {
      eventType: { shape: { type: 'enum', values: Object.values(EVENT) }, description: 'The System Log event type of the task (Okta ref §12).' },
      check: { shape: { type: 'enum', values: ['test-api-credentials'] }, description: 'A check answered in a dialog rather than the System Log: Test API Credentials (Okta ref §3).' },
      status: { shape: { type: 'enum', values: ['success', 'failure'] }, description: 'success or failure.' },
      user: { shape: USER, description: 'The user the task was about, by directory name.' },
      group: { shape: GROUP, description: 'The group the task was about, by directory name.' },
      message: { shape: TEXT, description: "On failure, the admin's message (Okta ref §12)." },
      attempts: { shape: { type: 'number', integer: true, minimum: 1 }, description: 'Requests sent, when a 429 made the task wait (Okta ref §11).' },
      waits: { shape: { type: 'list', items: { type: 'number', minimum: 0 } }, description: 'Seconds waited before each retry.' },
      linked: { shape: BOOLEAN, description: 'The lookup found the user or group, and Okta linked it instead of creating it.' },
      reactivated: { shape: BOOLEAN, description: 'The link also set active: true.' },
      scanned: { shape: COUNT, description: 'A user import: the active users read.' },
      inactive: { shape: COUNT, description: 'A user import: the inactive users skipped.' },
      pages: { shape: COUNT, description: 'An import: the pages read.' },
      groups: { shape: COUNT, description: 'A group import: the groups read.' },
      memberships: { shape: COUNT, description: 'A group import: the memberships read.' },
    },
  },
};

/**
 * The report's scorecard section for a scenario's settings: an app of the catalogue with its To App
 * features (`okta.postman`), else the integration variant, OIN or AIW (Okta ref §1).
 */
export function variantOf(settings: Record<string, unknown>): IdpVariant {
  return oktaVariant(readOktaSettings(settings));
}
