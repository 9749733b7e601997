import type { Shape } from '../../scenario/idp-description.js';
import { BOOLEAN, TEXT } from '../description-shapes.js';
import { checked, isMapping, show, unknownSetting, type Rule } from '../setting-rules.js';

/*
 * The knobs of the Entra simulator: the provisioning configuration of Entra ref §1, the Tenant-URL
 * flags of §8, and every behaviour the reference marks unverified (§2, §6, §7, §12) as a setting
 * whose default is the one the reference suggests. docs/entra.md lists them for scenario authors.
 */

/** Tenant-URL flags (Entra ref §8). `AzureAdScimPatch062020` is the 2020 name of `aadOptscim062020`. */
export const FLAGS = ['aadOptscim062020', 'AzureAdScimPatch062020', 'AzureAdScimPatch2017'] as const;
export type Flag = (typeof FLAGS)[number];

/** Target Object Actions, per object type (Entra ref §1.1). */
export interface ObjectActions {
  create: boolean;
  update: boolean;
  delete: boolean;
}

export const SCOPING_OPERATORS = ['EQUALS', 'NOT EQUALS', 'IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL', 'REGEX MATCH', 'NOT REGEX MATCH'] as const;
export type ScopingOperator = (typeof SCOPING_OPERATORS)[number];

/** One clause of a scoping filter on a source property; all clauses must hold (Entra ref §5.2 step 2). */
export interface ScopingClause {
  attribute: string;
  operator: ScopingOperator;
  value?: string;
}

/** A change to one default attribute mapping, or a new one (Entra ref §1.2 "Mapping semantics"). */
export interface MappingEdit {
  /** The source property (`objectId`, `mailNickname`, …). */
  source?: string;
  /** A constant instead of a source property. */
  constant?: string;
  /** Matching precedence, 1 first; false makes the attribute not a matching one. */
  matching?: number | false;
  /** "Apply this mapping": always, or only during creation. */
  apply?: 'always' | 'on-create';
  /** "Default value if null": applies on create only. */
  default?: string;
}

/** The escrow thresholds of quarantine, "subject to change" (Entra ref §5.6). */
export interface EscrowThresholds {
  /** Failures before the thresholds are evaluated at all. */
  minimum: number;
  /** Quarantine when more than this share of the exports failed. */
  proportion: number;
  /** Quarantine beyond this many failures, reference failures excluded. */
  total: number;
  /** Quarantine beyond this many failures, reference failures included. */
  absolute: number;
}

export interface EntraSettings {
  /** Flags appended to the Tenant URL; none is the legacy dialect (Entra ref §8). */
  flags: Flag[];
  /** "Sync only assigned users and groups" or "Sync all users and groups" (Entra ref §1.1). */
  scope: 'assigned' | 'all';
  /** A scoping filter on users (Entra ref §5.2). */
  scopingFilter: ScopingClause[];
  /** The "Provision Microsoft Entra ID Groups" mapping is enabled (Entra ref §1.2, §7). */
  provisionGroups: boolean;
  /** Edits of the user mappings by target attribute; null removes the mapping (Entra ref §1.2). */
  userMappings: Record<string, MappingEdit | null>;
  /** Edits of the group mappings; `members: null` stops membership provisioning (Entra ref §1.2). */
  groupMappings: Record<string, MappingEdit | null>;
  targetObjectActions: { users: ObjectActions; groups: ObjectActions };
  /** The SkipOutOfScopeDeletions secret flag: users leaving scope are not disabled (Entra ref §1.1, §6.4). */
  skipOutOfScopeDeletions: boolean;
  /** "Prevent accidental deletions" with this threshold; off when absent (Entra ref §5.8). */
  accidentalDeletionThreshold?: number;
  escrowThresholds: EscrowThresholds;
  /** 429: fail and escrow to the next cycle (historical), or wait for Retry-After (unverified; Entra ref §5.10, §12). */
  throttling: 'escrow' | 'retry-after';
  /** The Secret Token Entra sends instead of the run's credentials (a wrong one gets the job quarantined, Entra ref §3). */
  secretToken?: string;
  /** Seeds the directory's object ids, probe GUIDs and cycle ids; the scenario id when unset. */
  seed?: string;
  /** Requests per second: each request takes this much virtual time (unverified, Entra ref §5.10, §12). */
  requestsPerSecond: number;
  /** The Accept header: absent or `*∕*` (unverified, Entra ref §2). */
  accept: 'none' | '*/*';
  /** `@` in filter values sent as `%40` (unverified, Entra ref §2, §6.1). */
  encodeAtSign: boolean;
  /** Filter values quoted, as current traffic has it; unquoted as the legacy doc example (Entra ref §2, §10.9). */
  quoteFilterValues: boolean;
  /** The flags forwarded as a query on every request (unverified, Entra ref §1.1). */
  forwardFlags: boolean;
  /** A linked object is read by id, or re-queried by its matching attribute (unverified, Entra ref §5.3, §12). */
  incrementalLookup: 'get-by-id' | 'filter';
  /** The random-group probe when groups are provisioned (unverified form, Entra ref §3, §12). */
  groupProbe: boolean;
  /** An incremental cycle with nothing to do still probes (unverified: the probe is "at the start of any activity", Entra ref §3). */
  probeIdleCycles: boolean;
  /** Member changes per group PATCH (unverified, Entra ref §7.4, §12). */
  memberBatchSize: number;
  /** With the flag, a single changed plain attribute also goes into the path-less value object (unverified, Entra ref §6.3, §12). */
  foldSingleAttribute: boolean;
  /** The create POST carries the manager id when the manager is already provisioned (unverified, Entra ref §6.2, §12). */
  managerInCreate: boolean;
  /** The create POST sends `active` as the string "True" (legacy, Entra ref §6.2, §12). */
  activeStringInCreate: boolean;
  /** A provisioned group leaving scope is deleted, like a deleted one (partially unverified, Entra ref §7.6, §12). */
  deleteGroupsOnScopeExit: boolean;
  /** Group POSTs carry the `ADSCIM/2.0/Group` schema URI (unverified currency, Entra ref §7.2, §10.11, §12). */
  adscimGroupSchema: boolean;
  /** Legacy member values carry `"$ref": null` (Entra ref §7.4, §7.5, §10.13). */
  memberRefNull: boolean;
  /** Work addresses and phone numbers carry `primary: false` in the create POST (unverified, Entra ref §6.2). */
  primaryOnAddressesAndPhones: boolean;
  /** The strings of the legacy `active` expression: "True"/"False", or "true"/"false" when admins edit it (Entra ref §6.4). */
  activeStringCase: 'capitalized' | 'lowercase';
  /** A value cleared in Entra: nothing sent (documented), or a Remove carrying the old value (unverified, Entra ref §6.3). */
  clearedValues: 'omit' | 'remove-with-value';
  /** A manager removed in Entra: nothing sent, or `remove manager[value eq "…"]` (unverified, Entra ref §6.3, §6.6). */
  managerRemoval: 'none' | 'filtered-remove';
}

export const ENTRA_DEFAULTS: Readonly<EntraSettings> = Object.freeze({
  flags: [],
  scope: 'assigned',
  scopingFilter: [],
  provisionGroups: true,
  userMappings: {},
  groupMappings: {},
  targetObjectActions: { users: { create: true, update: true, delete: true }, groups: { create: true, update: true, delete: true } },
  skipOutOfScopeDeletions: false,
  escrowThresholds: { minimum: 5000, proportion: 0.4, total: 40_000, absolute: 60_000 },
  throttling: 'escrow',
  requestsPerSecond: 10,
  accept: 'none',
  encodeAtSign: true,
  quoteFilterValues: true,
  forwardFlags: false,
  incrementalLookup: 'get-by-id',
  groupProbe: true,
  probeIdleCycles: false,
  memberBatchSize: 20,
  foldSingleAttribute: false,
  managerInCreate: false,
  activeStringInCreate: false,
  deleteGroupsOnScopeExit: true,
  adscimGroupSchema: true,
  memberRefNull: true,
  primaryOnAddressesAndPhones: true,
  activeStringCase: 'capitalized',
  clearedValues: 'omit',
  managerRemoval: 'none',
}) as EntraSettings;

type PlainKnob = Exclude<keyof EntraSettings, 'flags' | 'scopingFilter' | 'userMappings' | 'groupMappings' | 'targetObjectActions' | 'escrowThresholds'>;

export const RULES: Record<PlainKnob, Rule> = {
  scope: ['assigned', 'all'],
  provisionGroups: 'boolean',
  skipOutOfScopeDeletions: 'boolean',
  accidentalDeletionThreshold: 'positiveInteger',
  throttling: ['escrow', 'retry-after'],
  secretToken: 'text',
  seed: 'text',
  requestsPerSecond: 'positiveNumber',
  accept: ['none', '*/*'],
  encodeAtSign: 'boolean',
  quoteFilterValues: 'boolean',
  forwardFlags: 'boolean',
  incrementalLookup: ['get-by-id', 'filter'],
  groupProbe: 'boolean',
  probeIdleCycles: 'boolean',
  memberBatchSize: 'positiveInteger',
  foldSingleAttribute: 'boolean',
  managerInCreate: 'boolean',
  activeStringInCreate: 'boolean',
  deleteGroupsOnScopeExit: 'boolean',
  adscimGroupSchema: 'boolean',
  memberRefNull: 'boolean',
  primaryOnAddressesAndPhones: 'boolean',
  activeStringCase: ['capitalized', 'lowercase'],
  clearedValues: ['omit', 'remove-with-value'],
  managerRemoval: ['none', 'filtered-remove'],
};

const STRUCTURED = ['flags', 'scopingFilter', 'userMappings', 'groupMappings', 'targetObjectActions', 'escrowThresholds'] as const;

/** What each knob does, for scenario authors (docs/entra.md): the editor schema shows it on hover. */
export const KNOB_DESCRIPTIONS: Record<keyof EntraSettings, string> = {
  flags: 'Tenant-URL flags; none ([]) is the legacy dialect (Entra ref §8).',
  scope: '"Sync only assigned users and groups" (assigned) or "Sync all users and groups" (all) (Entra ref §1.1).',
  scopingFilter: 'Clauses on source properties, all of which must hold for a user to be in scope (Entra ref §5.2).',
  provisionGroups: 'The "Provision Microsoft Entra ID Groups" mapping is enabled (Entra ref §1.2, §7).',
  userMappings: 'Edits of the user mappings by target attribute: null removes one; { source, constant, matching, apply, default } changes or adds one (Entra ref §1.2).',
  groupMappings: 'Edits of the group mappings by target attribute; members: null stops membership provisioning (Entra ref §1.2).',
  targetObjectActions: 'Target Object Actions: { users: { create, update, delete }, groups: { … } }, all on by default (Entra ref §1.1).',
  skipOutOfScopeDeletions: 'The SkipOutOfScopeDeletions flag: users leaving scope are skipped, not disabled (Entra ref §1.1, §6.4).',
  accidentalDeletionThreshold: '"Prevent accidental deletions": more disables and deletes than this in one cycle are held back; off when unset (Entra ref §5.8).',
  escrowThresholds: 'The quarantine thresholds, "subject to change" (Entra ref §5.6).',
  throttling: 'A 429 fails the object, retried next cycle (escrow), or waits for Retry-After and resends, at most 5 times (retry-after, unverified; Entra ref §5.10).',
  secretToken: "The bearer token Entra sends instead of the run's credentials; a wrong one quarantines the job (Entra ref §3).",
  seed: 'Seeds object ids, probe GUIDs and cycle ids; the scenario id and the run id when unset. Fix it for byte-for-byte repeatable runs.',
  requestsPerSecond: 'Virtual time per request (unverified, Entra ref §5.10, §12); requests are sent one at a time.',
  accept: 'The Accept header: none or */* (unverified, Entra ref §2).',
  encodeAtSign: '@ in filter values sent as %40 (unverified, Entra ref §2, §6.1).',
  quoteFilterValues: "Filter values quoted, as current traffic has it; false: the legacy doc's unquoted externalId eq jyoung (Entra ref §2, §10.9).",
  forwardFlags: 'The flags also go to the server as a query on every request (unverified, Entra ref §1.1).',
  incrementalLookup: 'A linked object is read by id (get-by-id), or re-queried by its matching attribute (filter) (unverified, Entra ref §5.3).',
  groupProbe: 'The random-group probe when groups are provisioned (unverified form, Entra ref §3).',
  probeIdleCycles: 'An incremental cycle with nothing to do still probes (unverified, Entra ref §3).',
  memberBatchSize: 'Member changes per group PATCH (unverified, Entra ref §7.4).',
  foldSingleAttribute: 'With the flag, a single changed plain attribute also goes into the path-less value object (unverified, Entra ref §6.3).',
  managerInCreate: 'The POST carries the manager id when the manager is already provisioned (unverified, Entra ref §6.2).',
  activeStringInCreate: 'The POST sends active as the string "True" (legacy, Entra ref §6.2).',
  deleteGroupsOnScopeExit: 'A provisioned group leaving scope is deleted, like a deleted one (partially unverified, Entra ref §7.6).',
  adscimGroupSchema: 'Group POSTs carry the ADSCIM/2.0/Group schema URI (Entra ref §7.2, §10.11).',
  memberRefNull: 'Legacy member values carry "$ref": null (Entra ref §7.4, §10.13).',
  primaryOnAddressesAndPhones: 'Work addresses and phone numbers carry primary: false in the POST (unverified, Entra ref §6.2).',
  activeStringCase: 'The strings of the legacy active expression: "True"/"False" (capitalized), or "true"/"false" as when admins edit it (lowercase) (Entra ref §6.4).',
  clearedValues: 'A value cleared in Entra: nothing sent (omit, documented), or a Remove carrying the old value (remove-with-value, unverified; Entra ref §6.3).',
  managerRemoval: 'A manager removed in Entra: nothing sent (none), or remove manager[value eq "…"] (filtered-remove, unverified; Entra ref §6.3, §6.6).',
};

const mappingEdit: Shape = {
  type: 'either',
  shapes: [
    { type: 'null' },
    {
      type: 'mapping',
      fields: {
        source: { shape: TEXT, description: 'The source property: objectId, mailNickname, …' },
        constant: { shape: TEXT, description: 'A constant instead of a source property.' },
        matching: { shape: { type: 'either', shapes: [{ type: 'number', integer: true, minimum: 1 }, { type: 'enum', values: [false] }] }, description: 'Matching precedence, 1 first; false: not a matching attribute.' },
        apply: { shape: { type: 'enum', values: ['always', 'on-create'] }, description: '"Apply this mapping": always, or only during creation.' },
        default: { shape: TEXT, description: '"Default value if null": applies on create only.' },
      },
    },
  ],
};
const actions: Shape = {
  type: 'mapping',
  fields: Object.fromEntries((['create', 'update', 'delete'] as const).map((action) => [action, { shape: BOOLEAN, default: true, description: `Whether Entra may ${action} them.` }])),
};

/** The shapes of the knobs that are not plain values, as `readEntraSettings` reads them. */
export const STRUCTURED_SHAPES: Record<(typeof STRUCTURED)[number], Shape> = {
  flags: { type: 'either', shapes: [{ type: 'enum', values: FLAGS }, { type: 'list', items: { type: 'enum', values: FLAGS } }] },
  scopingFilter: {
    type: 'list',
    items: {
      type: 'mapping',
      fields: {
        attribute: { shape: TEXT, required: true, description: 'A source property: department, jobTitle, …' },
        operator: { shape: { type: 'enum', values: SCOPING_OPERATORS }, required: true, description: 'How the value is compared.' },
        value: { shape: TEXT, description: 'What it is compared with: for EQUALS, NOT EQUALS and the REGEX operators.' },
      },
    },
  },
  userMappings: { type: 'mapping', others: mappingEdit },
  groupMappings: { type: 'mapping', others: mappingEdit },
  targetObjectActions: {
    type: 'mapping',
    fields: { users: { shape: actions, description: 'What Entra may do to users.' }, groups: { shape: actions, description: 'What Entra may do to groups.' } },
  },
  escrowThresholds: {
    type: 'mapping',
    fields: {
      minimum: { shape: { type: 'number', integer: true, minimum: 1 }, default: ENTRA_DEFAULTS.escrowThresholds.minimum, description: 'Failures before the thresholds are evaluated at all.' },
      proportion: {
        shape: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
        default: ENTRA_DEFAULTS.escrowThresholds.proportion,
        description: 'Quarantine when more than this share of the exports failed.',
      },
      total: { shape: { type: 'number', integer: true, minimum: 1 }, default: ENTRA_DEFAULTS.escrowThresholds.total, description: 'Quarantine beyond this many failures, reference failures excluded.' },
      absolute: { shape: { type: 'number', integer: true, minimum: 1 }, default: ENTRA_DEFAULTS.escrowThresholds.absolute, description: 'Quarantine beyond this many failures, reference failures included.' },
    },
  },
};

function readFlags(value: unknown): Flag[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((f) => !FLAGS.includes(f as Flag))) {
    throw new Error(`settings.flags must list Tenant-URL flags among ${FLAGS.join(', ')} (or be [] for the legacy dialect), got ${show(value)}`);
  }
  return [...new Set(list as Flag[])];
}

function readScopingFilter(value: unknown): ScopingClause[] {
  const form = 'a list of { attribute, operator, value }, e.g. [{ attribute: department, operator: EQUALS, value: Retail }]';
  if (!Array.isArray(value)) throw new Error(`settings.scopingFilter must be ${form}, got ${show(value)}`);
  return value.map((clause, i) => {
    const where = `settings.scopingFilter[${i}]`;
    if (!isMapping(clause)) throw new Error(`${where} must be a mapping { attribute, operator, value }, got ${show(clause)}`);
    const unknown = Object.keys(clause).find((k) => !['attribute', 'operator', 'value'].includes(k));
    if (unknown !== undefined) throw new Error(`unknown key ${unknown} in ${where}: a clause has attribute, operator and value`);
    if (typeof clause.attribute !== 'string' || clause.attribute === '') throw new Error(`${where}.attribute must name a source property, e.g. department`);
    if (!SCOPING_OPERATORS.includes(clause.operator as ScopingOperator)) {
      throw new Error(`${where}.operator must be one of ${SCOPING_OPERATORS.join(', ')}, got ${show(clause.operator)}`);
    }
    const needsValue = ['EQUALS', 'NOT EQUALS', 'REGEX MATCH', 'NOT REGEX MATCH'].includes(clause.operator as string);
    if (needsValue && typeof clause.value !== 'string') throw new Error(`${where}: ${String(clause.operator)} needs value, as text`);
    if (!needsValue && clause.value !== undefined) throw new Error(`${where}: ${String(clause.operator)} takes no value`);
    if (needsValue && String(clause.operator).includes('REGEX')) {
      try {
        new RegExp(clause.value as string);
      } catch (error) {
        throw new Error(`${where}.value is not a regular expression: ${(error as Error).message}`);
      }
    }
    return { attribute: clause.attribute, operator: clause.operator as ScopingOperator, ...(needsValue && { value: clause.value as string }) };
  });
}

const EDIT_KEYS = ['source', 'constant', 'matching', 'apply', 'default'];

function readMappingEdits(name: string, value: unknown): Record<string, MappingEdit | null> {
  if (!isMapping(value)) throw new Error(`settings.${name} must be a mapping of target attributes to { source, constant, matching, apply, default } or null, got ${show(value)}`);
  const edits: Record<string, MappingEdit | null> = {};
  for (const [attribute, edit] of Object.entries(value)) {
    const where = `settings.${name}.${attribute}`;
    if (edit === null) {
      edits[attribute] = null;
      continue;
    }
    if (!isMapping(edit)) throw new Error(`${where} must be a mapping { source, constant, matching, apply, default }, or null to remove the mapping`);
    const unknown = Object.keys(edit).find((k) => !EDIT_KEYS.includes(k));
    if (unknown !== undefined) throw new Error(`unknown key ${unknown} in ${where}: a mapping has ${EDIT_KEYS.join(', ')}`);
    for (const key of ['source', 'constant', 'default'] as const) {
      if (edit[key] !== undefined && (typeof edit[key] !== 'string' || edit[key] === '')) throw new Error(`${where}.${key} must be a non-empty text`);
    }
    if (edit.source !== undefined && edit.constant !== undefined) throw new Error(`${where} takes a source or a constant, not both`);
    if (edit.matching !== undefined && edit.matching !== false && (!Number.isSafeInteger(edit.matching) || (edit.matching as number) < 1)) {
      throw new Error(`${where}.matching must be a precedence (1 is evaluated first) or false, got ${show(edit.matching)}`);
    }
    if (edit.apply !== undefined && edit.apply !== 'always' && edit.apply !== 'on-create') throw new Error(`${where}.apply must be always or on-create, got ${show(edit.apply)}`);
    edits[attribute] = edit as MappingEdit;
  }
  return edits;
}

function readActions(value: unknown): EntraSettings['targetObjectActions'] {
  const actions = { users: { ...ENTRA_DEFAULTS.targetObjectActions.users }, groups: { ...ENTRA_DEFAULTS.targetObjectActions.groups } };
  if (!isMapping(value)) throw new Error(`settings.targetObjectActions must be a mapping such as { users: { delete: false } }, got ${show(value)}`);
  for (const [type, flags] of Object.entries(value)) {
    if (type !== 'users' && type !== 'groups') throw unknownSetting('Entra', 'targetObjectActions.', type, ['users', 'groups']);
    if (!isMapping(flags)) throw new Error(`settings.targetObjectActions.${type} must be a mapping of create, update, delete to true or false`);
    for (const [action, enabled] of Object.entries(flags)) {
      if (!['create', 'update', 'delete'].includes(action)) throw unknownSetting('Entra', `targetObjectActions.${type}.`, action, ['create', 'update', 'delete']);
      actions[type][action as keyof ObjectActions] = checked(`targetObjectActions.${type}.${action}`, enabled, 'boolean') as boolean;
    }
  }
  return actions;
}

function readThresholds(value: unknown): EscrowThresholds {
  const thresholds = { ...ENTRA_DEFAULTS.escrowThresholds };
  if (!isMapping(value)) throw new Error(`settings.escrowThresholds must be a mapping of minimum, proportion, total, absolute, got ${show(value)}`);
  for (const [key, number] of Object.entries(value)) {
    if (!(key in thresholds)) throw unknownSetting('Entra', 'escrowThresholds.', key, Object.keys(thresholds));
    if (key === 'proportion') {
      if (typeof number !== 'number' || !(number > 0 && number < 1)) throw new Error(`settings.escrowThresholds.proportion must be between 0 and 1, got ${show(number)}`);
      thresholds.proportion = number;
    } else {
      thresholds[key as Exclude<keyof EscrowThresholds, 'proportion'>] = checked(`escrowThresholds.${key}`, number, 'positiveInteger') as number;
    }
  }
  return thresholds;
}

/** A scenario's `settings:` over ENTRA_DEFAULTS; throws an Error naming an unknown key or a bad value. */
export function readEntraSettings(raw: unknown): EntraSettings {
  const settings: EntraSettings = {
    ...ENTRA_DEFAULTS,
    flags: [],
    scopingFilter: [],
    userMappings: {},
    groupMappings: {},
    targetObjectActions: readActions({}),
    escrowThresholds: { ...ENTRA_DEFAULTS.escrowThresholds },
  };
  if (raw === undefined || raw === null) return settings;
  if (!isMapping(raw)) throw new Error(`settings must be a mapping of Entra simulator knobs, got ${show(raw)}`);
  const known = [...STRUCTURED, ...Object.keys(RULES)];
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'flags') settings.flags = readFlags(value);
    else if (key === 'scopingFilter') settings.scopingFilter = readScopingFilter(value);
    else if (key === 'userMappings' || key === 'groupMappings') settings[key] = readMappingEdits(key, value);
    else if (key === 'targetObjectActions') settings.targetObjectActions = readActions(value);
    else if (key === 'escrowThresholds') settings.escrowThresholds = readThresholds(value);
    else if (key in RULES) (settings as unknown as Record<string, unknown>)[key] = checked(key, value, RULES[key as PlainKnob]);
    else throw unknownSetting('Entra', '', key, known);
  }
  if (settings.flags.includes('AzureAdScimPatch2017') && settings.flags.some((f) => f !== 'AzureAdScimPatch2017')) {
    throw new Error('settings.flags: AzureAdScimPatch2017 downgrades to the legacy dialect; it cannot be combined with aadOptscim062020 (Entra ref §8)');
  }
  return settings;
}

/** Whether the job speaks the compliant PATCH dialect of aadOptscim062020 (Entra ref §8). */
export function compliantPatch(settings: Pick<EntraSettings, 'flags'>): boolean {
  return settings.flags.includes('aadOptscim062020') || settings.flags.includes('AzureAdScimPatch062020');
}
