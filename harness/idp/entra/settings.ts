import { formatPath, type DataPath } from '../../scenario/paths.js';
import {
  defaultsOf,
  either,
  fraction,
  group,
  listOf,
  mappingOf,
  nothing,
  oneOf,
  optional,
  positiveInteger,
  positiveNumber,
  recordOf,
  required,
  setting,
  SettingError,
  settingsReader,
  text,
  yesNo,
  type SettingsOf,
  type TypeOf,
} from '../settings-table.js';

/*
 * The settings of the Entra simulator, each declared once: the provisioning configuration of Entra
 * ref §1, the Tenant-URL flags of §8, and every behaviour the reference marks unverified (§2, §6,
 * §7, §12) as a setting whose default is the one the reference suggests. docs/entra.md's table is
 * generated from this one (npm run schema).
 */

/** Tenant-URL flags (Entra ref §8). `AzureAdScimPatch062020` is the 2020 name of `aadOptscim062020`. */
const FLAG = oneOf('aadOptscim062020', 'AzureAdScimPatch062020', 'AzureAdScimPatch2017');

/** One clause of a scoping filter on a source property; all clauses must hold (Entra ref §5.2 step 2). */
const SCOPING_CLAUSE = mappingOf({
  attribute: required(text, 'A source property: department, jobTitle, …'),
  operator: required(oneOf('EQUALS', 'NOT EQUALS', 'IS TRUE', 'IS FALSE', 'IS NULL', 'IS NOT NULL', 'REGEX MATCH', 'NOT REGEX MATCH'), 'How the value is compared.'),
  value: optional(text, 'What it is compared with: for EQUALS, NOT EQUALS and the REGEX operators.'),
});

/** A change to one default attribute mapping, or a new one (Entra ref §1.2 "Mapping semantics"); null removes the mapping. */
const MAPPING_EDIT = either(
  nothing,
  mappingOf({
    source: optional(text, 'The source property: objectId, mailNickname, …'),
    constant: optional(text, 'A constant instead of a source property.'),
    matching: optional(either(positiveInteger, oneOf(false)), 'Matching precedence, 1 first; false: not a matching attribute.'),
    apply: optional(oneOf('always', 'on-create'), '"Apply this mapping": always, or only during creation.'),
    default: optional(text, '"Default value if null": applies on create only.'),
  }),
);

export type ScopingClause = TypeOf<typeof SCOPING_CLAUSE>;
export type MappingEdit = NonNullable<TypeOf<typeof MAPPING_EDIT>>;

const VALUED = ['EQUALS', 'NOT EQUALS', 'REGEX MATCH', 'NOT REGEX MATCH'];

/** What the clause shape cannot say: the operators that compare with a value need one, the others take none, and a regular expression compiles. */
function readScopingFilter(clauses: ScopingClause[], path: DataPath): ScopingClause[] {
  clauses.forEach(({ operator, value }, i) => {
    const at = [...path, i];
    const where = formatPath(at);
    if (!VALUED.includes(operator)) {
      if (value !== undefined) throw new SettingError(`${where}: ${operator} takes no value`, [...at, 'value']);
    } else if (value === undefined) {
      throw new SettingError(`${where}: ${operator} needs value, as text`, at);
    } else if (operator.includes('REGEX')) {
      try {
        new RegExp(value);
      } catch (error) {
        throw new SettingError(`${where}.value is not a regular expression: ${(error as Error).message}`, [...at, 'value']);
      }
    }
  });
  return clauses;
}

/** What the edit shape cannot say: a source or a constant, not both. */
function readMappingEdits(edits: Record<string, MappingEdit | null>, path: DataPath): Record<string, MappingEdit | null> {
  for (const [attribute, edit] of Object.entries(edits)) {
    if (edit?.source !== undefined && edit.constant !== undefined) throw new SettingError(`${formatPath([...path, attribute])} takes a source or a constant, not both`, [...path, attribute]);
  }
  return edits;
}

/** What the list shape cannot say: at least one interval. */
function readEscrowRetryCycles(cycles: number[], path: DataPath): number[] {
  if (cycles.length === 0) throw new SettingError(`${formatPath(path)} needs at least one interval, such as [1] for a retry at every cycle`, path);
  return cycles;
}

/** Target Object Actions for one object type (Entra ref §1.1). */
const actions = (objects: string, updates: string) =>
  group(`What Entra may do to ${objects}.`, {
    create: setting(yesNo, true, `Entra may create ${objects}.`),
    update: setting(yesNo, true, `Entra may update ${updates}.`),
    delete: setting(yesNo, true, `Entra may delete ${objects}.`),
  });

export const ENTRA_SETTINGS = {
  flags: setting(either(FLAG, listOf(FLAG)), [], 'Flags appended to the Tenant URL: aadOptscim062020, AzureAdScimPatch062020 (its 2020 name), AzureAdScimPatch2017; none ([]) is the legacy dialect (Entra ref §8).', (flags) => [
    ...new Set(typeof flags === 'string' ? [flags] : flags),
  ]),
  scope: setting(oneOf('assigned', 'all'), 'assigned', '"Sync only assigned users and groups" (assigned) or "Sync all users and groups" (all) (Entra ref §1.1).'),
  scopingFilter: setting(
    listOf(SCOPING_CLAUSE),
    [],
    'Clauses on source properties, all of which must hold for a user to be in scope: { attribute, operator, value } with EQUALS, NOT EQUALS, IS TRUE, IS FALSE, IS NULL, IS NOT NULL, REGEX MATCH, NOT REGEX MATCH (Entra ref §5.2).',
    readScopingFilter,
  ),
  provisionGroups: setting(yesNo, true, 'The "Provision Microsoft Entra ID Groups" mapping is enabled (Entra ref §1.2, §7).'),
  userMappings: setting(
    recordOf(MAPPING_EDIT),
    {},
    'Edits of the user mappings by target attribute: null removes one; { source, constant, matching, apply, default } changes or adds one (matching: precedence from 1, or false; apply: always or on-create; default: "default value if null", on create). E.g. externalId: { source: objectId } (Entra ref §1.2).',
    readMappingEdits,
  ),
  groupMappings: setting(recordOf(MAPPING_EDIT), {}, 'Edits of the group mappings by target attribute, as userMappings; members: null stops membership provisioning (Entra ref §1.2).', readMappingEdits),
  targetObjectActions: group('Target Object Actions, all on by default (Entra ref §1.1).', { users: actions('users', 'users, and so disable them'), groups: actions('groups', 'groups, their members included') }),
  skipOutOfScopeDeletions: setting(yesNo, false, 'The SkipOutOfScopeDeletions flag: users leaving scope are skipped, not disabled (Entra ref §1.1, §6.4).'),
  accidentalDeletionThreshold: optional(positiveInteger, '"Prevent accidental deletions": more disables and deletes than this in one cycle are held back; off when unset (Entra ref §5.8).'),
  escrowThresholds: group('The quarantine thresholds, "subject to change" (Entra ref §5.6).', {
    minimum: setting(positiveInteger, 5000, 'Failures before the thresholds are evaluated at all.'),
    proportion: setting(fraction, 0.4, 'Quarantine when more than this share of the exports failed.'),
    total: setting(positiveInteger, 40_000, 'Quarantine beyond this many failures, reference failures excluded.'),
    absolute: setting(positiveInteger, 60_000, 'Quarantine beyond this many failures, reference failures included.'),
  }),
  throttling: setting(
    oneOf('escrow', 'retry-after'),
    'escrow',
    'A 429 fails the object, retried next cycle (escrow, historical), or waits for Retry-After and resends, at most retryAfterAttempts times (retry-after, unverified; Entra ref §5.10, §12).',
  ),
  retryAfterAttempts: setting(
    positiveInteger,
    5,
    'With throttling: retry-after, how many times one request is sent before its 429 fails the object (synthesised: the reference gives no cap, and a target that always throttles must not hold a cycle forever; Entra ref §5.10).',
  ),
  retryAfterMaxSeconds: setting(
    positiveInteger,
    300,
    "With throttling: retry-after, the longest Retry-After waited out, in seconds; a longer one is not waited for: its 429 fails the object, retried in a later cycle (synthesised: the reference gives no bound, and a target asking for years must not move the clock by years; 5 minutes keeps the default 4 waits within a 40-minute cycle; Entra ref §5.10). Retry-After is read as seconds or as an HTTP-date counted from the answer's Date (RFC 9110 §10.2.3); anything else is no Retry-After.",
  ),
  escrowRetryCycles: setting(
    listOf(positiveInteger),
    [1, 2, 4, 8, 16, 36],
    'How many cycle intervals (40 minutes) pass from a failed export to its retry: the first value after the first failure, the n-th after the n-th, the last one repeating; [1] retries at every cycle. The retry in the next cycle is documented; the back-off after it ("gradually scaling back the frequency of retries") has no documented schedule, so the later values are synthesised (Entra ref §5.5).',
    readEscrowRetryCycles,
  ),
  secretToken: optional(text, "The Secret Token Entra sends instead of the run's credentials; a wrong one gets the job quarantined (Entra ref §3)."),
  seed: optional(text, 'Seeds object ids, probe GUIDs and cycle ids; the scenario id and the run id when unset. Fix it for byte-for-byte repeatable runs.'),
  requestsPerSecond: setting(positiveNumber, 10, 'Each request takes 1/requestsPerSecond of virtual time; requests are sent one at a time (unverified, Entra ref §5.10, §12).'),
  timeoutSeconds: optional(
    positiveNumber,
    "Seconds without an answer before Entra gives up on a request: a Timeout failure, retried next cycle, and the virtual clock moves on by it; unset, the run's --timeout, not counted in virtual time (the reference gives no figure, unverified; Entra ref §5.5, §9).",
  ),
  accept: setting(oneOf('none', '*/*'), 'none', 'The Accept header: none or */* (unverified, Entra ref §2).'),
  encodeAtSign: setting(yesNo, true, '@ in filter values sent as %40 (unverified, Entra ref §2, §6.1).'),
  quoteFilterValues: setting(yesNo, true, "Filter values quoted, as current traffic has it; false: the legacy doc's unquoted externalId eq jyoung (Entra ref §2, §10.9)."),
  forwardFlags: setting(yesNo, false, 'The flags also go to the server as a query on every request (unverified, Entra ref §1.1).'),
  incrementalLookup: setting(oneOf('get-by-id', 'filter'), 'get-by-id', 'A linked object is read by id (get-by-id), or re-queried by its matching attribute (filter) (unverified, Entra ref §5.3, §12).'),
  groupProbe: setting(yesNo, true, 'The random-group probe when groups are provisioned (unverified form, Entra ref §3, §12).'),
  memberBatchSize: setting(positiveInteger, 20, 'Member changes per group PATCH (unverified, Entra ref §7.4, §12).'),
  foldSingleAttribute: setting(yesNo, false, 'With the flag, a single changed plain attribute also goes into the path-less value object (unverified, Entra ref §6.3, §12).'),
  managerInCreate: setting(yesNo, false, 'The POST carries the manager id when the manager is already provisioned (unverified, Entra ref §6.2, §12).'),
  activeStringInCreate: setting(yesNo, false, 'The POST sends active as the string "True" (legacy, Entra ref §6.2, §12).'),
  deleteNotFound: setting(
    oneOf('invalid-anchor', 'gone'),
    'invalid-anchor',
    'A DELETE answered 404: an InvalidAnchor failure, escrowed and retried like any failed export, daily once backed off (invalid-anchor: the code for a 404 on a cached id; Entra ref §9, §5.5), or the object taken as deleted already, a Success marked synthesised (gone, synthesised: the reference says nothing of a 404 to a DELETE).',
  ),
  deleteGroupsOnScopeExit: setting(yesNo, true, 'A provisioned group leaving scope is deleted, like a deleted one (partially unverified, Entra ref §7.6, §12).'),
  adscimGroupSchema: setting(yesNo, true, 'Group POSTs carry the ADSCIM/2.0/Group schema URI (unverified currency, Entra ref §7.2, §10.11, §12).'),
  memberRefNull: setting(yesNo, true, 'Legacy member values carry "$ref": null (Entra ref §7.4, §7.5, §10.13).'),
  primaryOnAddressesAndPhones: setting(yesNo, true, 'Work addresses and phone numbers carry primary: false in the POST (unverified, Entra ref §6.2).'),
  activeStringCase: setting(
    oneOf('capitalized', 'lowercase'),
    'capitalized',
    'The strings of the legacy active expression: "True"/"False" (capitalized), or "true"/"false" as when admins edit it (lowercase) (Entra ref §6.4).',
  ),
  clearedValues: setting(
    oneOf('omit', 'remove-with-value'),
    'omit',
    'A value cleared in Entra: nothing sent (omit, documented), or a Remove carrying the old value (remove-with-value, unverified; Entra ref §6.3).',
  ),
  managerRemoval: setting(
    oneOf('none', 'filtered-remove'),
    'none',
    'A manager removed in Entra: nothing sent (none), or remove manager[value eq "…"] (filtered-remove, unverified; Entra ref §6.3, §6.6).',
  ),
};

export type EntraSettings = SettingsOf<typeof ENTRA_SETTINGS>;

export const ENTRA_DEFAULTS: Readonly<EntraSettings> = defaultsOf(ENTRA_SETTINGS);

/** A scenario's `settings:` over ENTRA_DEFAULTS; throws an Error naming the setting and what it takes. */
export const readEntraSettings = settingsReader({
  simulator: 'Entra',
  docs: 'docs/entra.md',
  table: ENTRA_SETTINGS,
  check: ({ flags }) => {
    if (flags.includes('AzureAdScimPatch2017') && flags.some((f) => f !== 'AzureAdScimPatch2017')) {
      throw new Error('settings.flags: AzureAdScimPatch2017 downgrades to the legacy dialect; it cannot be combined with aadOptscim062020 (Entra ref §8)');
    }
  },
});

/** Whether the job speaks the compliant PATCH dialect of aadOptscim062020 (Entra ref §8). */
export function compliantPatch(settings: Pick<EntraSettings, 'flags'>): boolean {
  return settings.flags.includes('aadOptscim062020') || settings.flags.includes('AzureAdScimPatch062020');
}
