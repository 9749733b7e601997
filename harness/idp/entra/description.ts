import { secretFields, type EventDescription, type IdpDescription, type Shape } from '../../scenario/idp-description.js';
import { ANY, BOOLEAN, DURATION, GROUP, NOTHING, shorthand, TEXT, USER } from '../description-shapes.js';
import { settingFields } from '../settings-table.js';
import { GUID } from './ids.js';
import { RESET_SCOPES } from './job.js';
import type { Action, LogStatus } from './logs.js';
import { ENTRA_SETTINGS, readEntraSettings } from './settings.js';
import type { JobCode, QuarantineReason } from './state.js';

/*
 * The Entra simulator as scenario files see it (docs/entra.md): the scenario loader checks files
 * with it before anything is sent, and the editor schema is generated from it.
 */

/** The source properties update cannot set, and what to do instead (events.ts enforces it). */
export const RESERVED: Record<string, string> = {
  objectId: 'objectId is fixed in the directory',
  accountEnabled: 'use the disable and enable events',
  softDeleted: 'use the soft-delete, restore and hard-delete events',
  members: 'use the add-member and remove-member events',
};

/** A bare name finds a group before a user: names are unique across both (docs/entra.md). */
const OBJECT_NAME: Shape = { type: 'name', of: ['users', 'groups'] };
const OBJECT: Shape = {
  type: 'either',
  shapes: [
    OBJECT_NAME,
    {
      type: 'mapping',
      fields: { user: { shape: OBJECT_NAME, description: 'The user (a group name finds the group).' }, group: { shape: GROUP, description: 'The group.' } },
      exactlyOne: ['user', 'group'],
    },
  ],
};

/** What a source property holds: text (a number is read as text), or null. */
const SOURCE_VALUE: Shape = { type: 'either', shapes: [{ type: 'text', empty: true }, { type: 'number' }, { type: 'null' }] };
const oneUser = (description: string) => shorthand(USER, { user: { shape: USER, required: true, description } });
const members: Shape = { type: 'mapping', fields: { group: { shape: GROUP, required: true, description: 'The group.' }, user: { shape: USER, required: true, description: 'The member.' } } };

/** The events as scenarios write them (docs/entra.md); events.ts performs them. */
const EVENTS: Record<string, EventDescription> = {
  assign: { description: 'Assigns a user or a group to the app; a group brings its user members into scope, not those of groups nested in it (Entra ref §7.4). Sent at the next cycle.', argument: OBJECT },
  unassign: { description: 'Unassigns a user or a group: at the next cycle the user is disabled, the group deleted (Entra ref §6.4, §7.6).', argument: OBJECT },
  update: {
    description: 'Changes source properties; null clears one, which is never sent (Entra ref §1.2, §10.14).',
    argument: {
      type: 'mapping',
      fields: {
        user: { shape: USER, description: 'The user whose properties change.' },
        group: { shape: GROUP, description: 'The group whose properties change.' },
        set: {
          shape: {
            type: 'mapping',
            fields: { manager: { shape: { type: 'either', shapes: [USER, { type: 'null' }] }, description: "Another user's name: a reference (Entra ref §6.6); null removes it." } },
            others: SOURCE_VALUE,
            nonEmpty: true,
            reserved: RESERVED,
          },
          required: true,
          description: 'Source properties and their new values (text); null clears one.',
        },
      },
      exactlyOne: ['user', 'group'],
    },
  },
  disable: { description: 'Sets accountEnabled false (Entra ref §6.4).', argument: oneUser('An enabled user.') },
  enable: { description: 'Sets accountEnabled true (Entra ref §6.4).', argument: oneUser('A disabled user.') },
  'soft-delete': { description: 'Moves the user to the recycle bin (Entra ref §6.4).', argument: oneUser('An active user.') },
  restore: { description: 'Restores a soft-deleted user (Entra ref §6.4).', argument: oneUser('A soft-deleted user.') },
  'hard-delete': {
    description: 'Deletes a user or group for good: DELETE at the next cycle, unless Entra had stopped managing the user (Entra ref §6.5, §7.6).',
    argument: OBJECT,
  },
  'add-member': { description: 'Adds a member to a group (Entra ref §5.3 known gaps).', argument: members },
  'remove-member': { description: 'Removes a member from a group.', argument: members },
  cycle: { description: 'Runs a cycle now: initial once (restart runs another), then incremental.', argument: { type: 'enum', values: ['initial', 'incremental'] } },
  advance: { description: 'Moves the clock, running every cycle that falls due on the way (every 40 minutes; in quarantine at the retry times).', argument: DURATION },
  restart: {
    description:
      "Clears watermark, escrows and quarantine, keeps the links to target objects, and runs a new initial cycle now; { resetScope } clears what Graph's restart names instead (Entra ref §5.7).",
    argument: {
      type: 'either',
      shapes: [
        NOTHING,
        {
          type: 'mapping',
          fields: {
            resetScope: {
              shape: { type: 'either', shapes: [{ type: 'enum', values: [...RESET_SCOPES] }, { type: 'list', items: { type: 'enum', values: [...RESET_SCOPES] } }] },
              required: true,
              description: 'None, ConnectorDataStore (drops the links: objects are matched again), Escrows, Watermark, QuarantineState, Full (all of these), ForceDeletes.',
            },
          },
        },
      ],
    },
  },
  'provision-on-demand': {
    description: 'Provisions one user, or one group with up to 5 of its members, now, in the legacy dialect whatever the flags (Entra ref §5.9).',
    argument: {
      type: 'either',
      shapes: [
        OBJECT_NAME,
        {
          type: 'mapping',
          fields: {
            user: { shape: OBJECT_NAME, description: 'The user to provision (a group name finds the group).' },
            group: { shape: GROUP, description: 'The group to provision, with its members.' },
            members: { shape: { type: 'list', items: USER }, description: 'With group: up to 5 of its user members; default: all of them, when they are 5 or fewer.' },
          },
          exactlyOne: ['user', 'group'],
        },
      ],
    },
  },
  'allow-deletes': { description: 'Sends the disables and deletes the accidental-deletion threshold held back (Entra ref §5.8).', argument: NOTHING },
  'set-secret-token': {
    description: "The Secret Token Entra sends from now on; null goes back to the run's credentials (Entra ref §1.1).",
    argument: { type: 'either', shapes: [TEXT, { type: 'null' }] },
    secret: true,
  },
  stop: { description: 'Stop provisioning: no further cycle starts; the job keeps its state and reports Paused (Entra ref §5.1, §5.3).', argument: NOTHING },
  start: {
    description: 'Start provisioning: a paused job resumes from its watermark, a quarantined one has its quarantine cleared; the next cycle runs now (Entra ref §5.1; Graph start).',
    argument: NOTHING,
  },
  'test-connection': {
    description: "Test Connection: the random-GUID probe outside any cycle; reports the admin's notification and leaves the job as it is (Entra ref §3).",
    argument: NOTHING,
  },
};

const OBJECT_ID: Shape = { type: 'text', pattern: GUID.source, format: 'a GUID' };
const sourceProperty = (description: string) => ({ shape: SOURCE_VALUE, description });

const user: Shape = {
  type: 'mapping',
  fields: {
    userPrincipalName: { shape: TEXT, required: true, description: 'AdeleV@contoso.com; B2B "#EXT#" UPNs are stripped (Entra ref §1.2).' },
    displayName: sourceProperty('A source property.'),
    givenName: sourceProperty('A source property.'),
    surname: sourceProperty('A source property.'),
    mail: sourceProperty('A source property.'),
    mailNickname: sourceProperty('Default: the UPN before the @.'),
    jobTitle: sourceProperty('A source property.'),
    department: sourceProperty('A source property.'),
    employeeId: sourceProperty('A source property.'),
    manager: { shape: USER, description: "Another user's name: a reference (Entra ref §6.6)." },
    accountEnabled: { shape: BOOLEAN, default: true, description: 'false blocks sign-in (Entra ref §6.4, §10.20).' },
    softDeleted: { shape: BOOLEAN, default: false, description: 'true: in the recycle bin.' },
    objectId: { shape: OBJECT_ID, description: 'Default: a GUID from the seed and the name.' },
  },
  // Any other text is a source property, for a custom mapping.
  others: SOURCE_VALUE,
};

const group: Shape = {
  type: 'mapping',
  fields: {
    displayName: { shape: TEXT, description: 'Default: the key.' },
    members: { shape: { type: 'list', items: OBJECT_NAME }, default: [], description: 'Members: user names, and names of nested groups (Entra ref §7.4).' },
    mailNickname: { shape: TEXT, description: 'A source property.' },
    description: { shape: TEXT, description: 'A source property.' },
    objectId: { shape: OBJECT_ID, description: 'Default: a GUID from the seed and the name.' },
  },
};

/** Every value of a union type, checked complete by the compiler. */
const valuesOf = <T extends string>(all: Record<T, true>): T[] => Object.keys(all) as T[];
const ACTIONS = valuesOf<Action>({ Create: true, Update: true, Delete: true, Disable: true, StagedDelete: true, Other: true });
const STATUSES = valuesOf<LogStatus>({ Success: true, Failure: true, Skipped: true, Warning: true });
const CODES = valuesOf<JobCode>({ NotRun: true, Active: true, Paused: true, Quarantine: true });
const REASONS = valuesOf<QuarantineReason>({
  EncounteredBaseEscrowThreshold: true,
  EncounteredTotalEscrowThreshold: true,
  EncounteredEscrowProportionThreshold: true,
  EncounteredQuarantineException: true,
  TooManyDeletes: true,
});

/**
 * What an Entra scenario may cover, as Microsoft's provisioning docs name it: users and groups
 * (Entra ref §6, §7), deprovisioning, disable and delete (§6.4, §6.5), manager (§6.6), convergence
 * of incremental cycles (§5.3), provision on demand (§5.9), quarantine (§5.6) and throttling (§5.10).
 */
const CAPABILITIES = ['users', 'groups', 'deprovisioning', 'disable', 'delete', 'manager', 'convergence', 'on-demand', 'quarantine', 'throttling'];

export const DESCRIPTION: IdpDescription = {
  title: 'Entra',
  docs: 'docs/entra.md',
  events: EVENTS,
  capabilities: CAPABILITIES,
  settings: secretFields(settingFields(ENTRA_SETTINGS), ['secretToken']),
  readSettings: readEntraSettings,
  directory: {
    users: { shape: { type: 'mapping', others: user }, description: 'Users by the name steps and expect.target use: adele: { userPrincipalName: AdeleV@contoso.com }.' },
    groups: { shape: { type: 'mapping', others: group }, description: 'Groups by name: sales: { displayName: Sales, members: [adele] }. User and group names share one namespace.' },
    assignments: { shape: { type: 'list', items: { type: 'name', of: ['users', 'groups'] } }, default: [], description: 'The users and groups assigned to the app before the scenario starts.' },
  },
  outcomes: {
    description: 'An Entra provisioning log record, job status or Test Connection result (docs/entra.md, "What the simulator reports"); a string stands for { status: … }.',
    fields: {
      cycleId: { shape: TEXT, description: "The cycle's GUID." },
      activityDateTime: { shape: TEXT, description: 'When, on the virtual clock.' },
      initiatedBy: { shape: { type: 'enum', values: ['System', 'OnDemand'] }, description: 'System for cycles, OnDemand for provision-on-demand.' },
      user: { shape: USER, description: 'The user the record is about, by directory name.' },
      group: { shape: GROUP, description: 'The group the record is about, by directory name.' },
      action: { shape: { type: 'enum', values: ACTIONS }, description: 'What Entra did or tried.' },
      status: { shape: { type: 'enum', values: STATUSES }, description: 'How it went.' },
      steps: { shape: ANY, description: 'The provisioningSteps: { name, provisioningStepType, status, description, details }.' },
      modifiedProperties: { shape: ANY, description: 'The changed properties: { displayName, oldValue, newValue }.' },
      errorCode: { shape: TEXT, description: 'The skip or failure code (Entra ref §9).' },
      errorCategory: { shape: { type: 'enum', values: ['Failure', 'NonServiceFailure'] }, description: 'The error category.' },
      reason: { shape: TEXT, description: "Entra's text for the skip or failure." },
      sourceIdentity: { shape: ANY, description: '{ id, displayName, identityType } in Entra.' },
      targetIdentity: { shape: ANY, description: '{ id, displayName, identityType } on the target.' },
      sourceSystem: { shape: TEXT, description: 'Azure Active Directory.' },
      targetSystem: { shape: TEXT, description: 'customappsso.' },
      nonConverging: { shape: { type: 'list', items: TEXT }, description: 'Attributes Entra exported before and finds different again.' },
      code: { shape: { type: 'enum', values: CODES }, description: "Job status: the job's state." },
      quarantine: {
        shape: {
          type: 'mapping',
          fields: {
            reason: { shape: { type: 'enum', values: REASONS }, description: 'Why the job is in quarantine (Entra ref §5.6).' },
            currentBegan: { shape: TEXT, description: 'When this quarantine began.' },
            seriesBegan: { shape: TEXT, description: 'When the series of quarantines began.' },
            seriesCount: { shape: { type: 'number', integer: true, minimum: 1 }, description: 'Failed attempts in this series.' },
            nextAttempt: { shape: TEXT, description: 'When the job tries again.' },
            error: { shape: ANY, description: "{ code, message }; synthesised: true when the wording is the simulator's." },
          },
        },
        description: 'Job status: the quarantine, while in one.',
      },
      escrowsPruned: { shape: BOOLEAN, description: 'Job status: the initial cycle pruned its escrows.' },
      nextCycle: { shape: TEXT, description: 'Job status: when the next cycle runs; not when Paused.' },
      message: { shape: TEXT, description: 'Test Connection: the notification the admin sees.' },
      sends: { shape: { type: 'number', integer: true, minimum: 1 }, description: 'A 429 failure under throttling: retry-after: how many times the request was sent.' },
      synthesised: {
        shape: BOOLEAN,
        description:
          "The simulator's invention, not Entra's: Test Connection's error code and details under the headline; a provisioning log record's failure by a 429 under throttling: retry-after (retryAfterAttempts, or no Retry-After).",
      },
    },
  },
};
