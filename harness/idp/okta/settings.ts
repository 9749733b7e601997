import { checked, isMapping, show, unknownSetting, type Rule } from '../setting-rules.js';

/**
 * The knobs of the Okta simulator, with the defaults docs/reference/okta.md gives (§1, §6, §14).
 * Where the reference says UNVERIFIED, the knob exists and its default is the one it suggests.
 */
export interface OktaSettings {
  /** OIN catalog integration or App Integration Wizard custom app: the biggest fork (Okta ref §1). */
  variant: 'oin' | 'aiw';
  /** The To App features enabled on the Provisioning tab (Okta ref §4–§8). */
  features: {
    createUsers: boolean;
    updateUserAttributes: boolean;
    deactivateUsers: boolean;
    syncPassword: boolean;
    importUsers: boolean;
    importGroups: boolean;
    pushGroups: boolean;
  };
  /** Which Okta profile attribute becomes the app username, sent as userName (Okta ref §4.1). */
  appUsernameFormat: 'oktaUsername' | 'email';
  /** What the app is called in admin messages. */
  appName: string;
  /** How profile updates are sent: PUT (documented) or PATCH (a vendor's claim, UNVERIFIED; Okta ref §1). */
  userUpdateMethod: 'PUT' | 'PATCH';
  /** A GET /Users/{id} before the deactivate PATCH (Okta ref §6.1). */
  getBeforeDeactivate: boolean;
  /** `%20` (captures and current docs) or `+` (2018–2019 docs) for spaces in the filter (Okta ref §2.3). */
  filterSpaceEncoding: '%20' | '+';
  /** Import page size: Okta advances startIndex by this, whatever itemsPerPage says (Okta ref §9.1). */
  pageSize: number;
  /** count of the Test API Credentials call (Okta ref §3). */
  testConnectionCount: number;
  /** The 8-character placeholder password on every create (Okta ref §4.2). */
  sendPasswordOnCreate: boolean;
  /** The password-sync PATCH body: `{ value: { password } }` or `path: password` (UNVERIFIED; Okta ref §8). */
  passwordPatchShape: 'value-object' | 'path';
  /** Group create carries the members (2021 capture) or `members: []` (docs) (Okta ref §10.1). */
  groupCreateIncludesMembers: boolean;
  /** The reconciliation PATCH `replace {id, displayName}` after a group create and before each membership update (Okta ref §10.1, §10.3). */
  groupRenameOnMembershipUpdate: boolean;
  /** Membership changes per PATCH, 100 to 1000 (UNVERIFIED default 100; Okta ref §10.3). */
  groupPatchBatchSize: number;
  /** Push Now sends `replace members` (Okta ref §10.3). */
  fullPushUsesReplace: boolean;
  /** Granular deprovisioning sends DELETE /Users/{id} (2026, UNVERIFIED; Okta ref §10.5). */
  granularDeprovisioningDelete: boolean;
  /** A cleared profile attribute is sent as "", null, or left out of the PUT (UNVERIFIED; Okta ref §5.1). */
  clearedAttribute: 'empty-string' | 'null' | 'omit';
  /** Seconds without data before Okta gives up on a request (Okta ref §2.4). */
  timeoutSeconds: number;
  /** Seeds the placeholder passwords and the directory's ids; the scenario id when unset, so runs repeat. */
  seed?: string;
  /** Group Push setting "Rename app groups to match group name in Okta" (Okta ref §10.4). */
  renameAppGroups: boolean;
  /** Test API Credentials also reads /Groups when group import or push is on (UNVERIFIED for 2.0; Okta ref §3). */
  testConnectionChecksGroups: boolean;
  /** The attribute of the existing-user lookup: always userName in every capture (others UNVERIFIED; Okta ref §4.1). */
  lookupAttribute: 'userName' | 'emails' | 'externalId';
  /** With Sync Password, the create POST carries the Okta password instead of the random placeholder (UNVERIFIED; Okta ref §8). */
  syncOktaPassword: boolean;
  /** The profile PUT carries the password when Sync Password is on, as the 2019 docs showed (UNVERIFIED; Okta ref §5.1). */
  putIncludesPassword: boolean;
  /** The To App option "Exclude Username Updates": userName changes are not pushed (Okta ref §5.1). */
  excludeUsernameUpdates: boolean;
  /** Imports advance startIndex by `count` (inferred from the docs) or by the page's itemsPerPage (UNVERIFIED; Okta ref §9.1). */
  importAdvance: 'count' | 'itemsPerPage';
  /** Lower-case `resources` / `totalresults` are read like the RFC's keys (2019 docs, UNVERIFIED now; Okta ref §2.4). */
  listKeysIgnoreCase: boolean;
  /** Push Now as a path-less `replace` with `value: { members }` (one third-party report, UNVERIFIED; Okta ref §10.3). */
  pathlessMembersReplace: boolean;
  /** 5xx answers and timeouts are retried on the 429 schedule (UNVERIFIED: only 429 is documented; Okta ref §11). */
  retryServerErrors: boolean;
  /**
   * After the first wait, each wait doubles the one before (`double`, Okta ref §11 as written:
   * "the wait doubles each retry") or follows each 429's own integer Retry-After (`retry-after`);
   * the text can be read either way.
   */
  retryWaits: 'double' | 'retry-after';
}

export const OKTA_DEFAULTS: Readonly<OktaSettings> = Object.freeze({
  variant: 'oin',
  features: Object.freeze({
    createUsers: true,
    updateUserAttributes: true,
    deactivateUsers: true,
    syncPassword: false,
    importUsers: true,
    importGroups: true,
    pushGroups: true,
  }),
  appUsernameFormat: 'oktaUsername',
  appName: 'SCIM 2.0 Test App',
  userUpdateMethod: 'PUT',
  getBeforeDeactivate: true,
  filterSpaceEncoding: '%20',
  pageSize: 100,
  testConnectionCount: 2,
  sendPasswordOnCreate: true,
  passwordPatchShape: 'value-object',
  groupCreateIncludesMembers: false,
  groupRenameOnMembershipUpdate: true,
  groupPatchBatchSize: 100,
  fullPushUsesReplace: true,
  granularDeprovisioningDelete: false,
  clearedAttribute: 'omit',
  timeoutSeconds: 60,
  renameAppGroups: true,
  testConnectionChecksGroups: true,
  lookupAttribute: 'userName',
  syncOktaPassword: false,
  putIncludesPassword: false,
  excludeUsernameUpdates: false,
  importAdvance: 'count',
  listKeysIgnoreCase: true,
  pathlessMembersReplace: false,
  retryServerErrors: false,
  retryWaits: 'double',
}) as OktaSettings;

/** How each knob's value is checked: a list of the allowed values, or a kind. */
export const RULES: Record<Exclude<keyof OktaSettings, 'features'>, Rule> = {
  variant: ['oin', 'aiw'],
  appUsernameFormat: ['oktaUsername', 'email'],
  appName: 'text',
  userUpdateMethod: ['PUT', 'PATCH'],
  getBeforeDeactivate: 'boolean',
  filterSpaceEncoding: ['%20', '+'],
  pageSize: 'positiveInteger',
  testConnectionCount: 'positiveInteger',
  sendPasswordOnCreate: 'boolean',
  passwordPatchShape: ['value-object', 'path'],
  groupCreateIncludesMembers: 'boolean',
  groupRenameOnMembershipUpdate: 'boolean',
  // Okta's form allows 100–1000 (Okta ref §10.3); smaller values let a scenario show the split with few users.
  groupPatchBatchSize: 'positiveInteger',
  fullPushUsesReplace: 'boolean',
  granularDeprovisioningDelete: 'boolean',
  clearedAttribute: ['empty-string', 'null', 'omit'],
  timeoutSeconds: 'positiveNumber',
  seed: 'text',
  renameAppGroups: 'boolean',
  testConnectionChecksGroups: 'boolean',
  lookupAttribute: ['userName', 'emails', 'externalId'],
  syncOktaPassword: 'boolean',
  putIncludesPassword: 'boolean',
  excludeUsernameUpdates: 'boolean',
  importAdvance: ['count', 'itemsPerPage'],
  listKeysIgnoreCase: 'boolean',
  pathlessMembersReplace: 'boolean',
  retryServerErrors: 'boolean',
  retryWaits: ['double', 'retry-after'],
};

/** What each knob does, for scenario authors (docs/okta.md): the editor schema shows it on hover. */
export const KNOB_DESCRIPTIONS: Record<keyof OktaSettings, string> = {
  variant: 'oin (PATCH for state, PUT for profile) or aiw (PUT for everything) (Okta ref §1).',
  features: 'The To App features enabled on the Provisioning tab (Okta ref §4–§10).',
  appUsernameFormat: 'Which Okta attribute is the app username, sent as userName: oktaUsername (login) or email (Okta ref §4.1).',
  appName: "The app's name in admin messages.",
  userUpdateMethod: 'How profile updates are sent: PUT (documented) or PATCH, a path-less replace of the changed values (UNVERIFIED, Okta ref §1).',
  getBeforeDeactivate: 'A GET /Users/{id} before the deactivate PATCH (Okta ref §6.1).',
  filterSpaceEncoding: 'Spaces in the filter as %20 (captures, current docs) or + (2018–2019 docs) (Okta ref §2.3).',
  pageSize: 'Import page size: Okta advances startIndex by it, whatever itemsPerPage says (Okta ref §9.1).',
  testConnectionCount: 'count of the Test API Credentials call (Okta ref §3).',
  sendPasswordOnCreate: 'The 8-character placeholder password on every POST (Okta ref §4.2).',
  passwordPatchShape: 'The password-sync PATCH: { op: replace, value: { password } } or path: password (UNVERIFIED, Okta ref §8).',
  groupCreateIncludesMembers: 'The group POST carries the members (2021 capture) rather than members: [] (Okta ref §10.1).',
  groupRenameOnMembershipUpdate: 'The reconciliation PATCH replace {id, displayName} after a group create and before each membership update (Okta ref §10.1, §10.3).',
  groupPatchBatchSize: 'Membership changes per PATCH; Okta allows 100 to 1000 (UNVERIFIED default, Okta ref §10.3).',
  fullPushUsesReplace: 'Push Now as a replace of the members; false: adds (Okta ref §10.3).',
  granularDeprovisioningDelete: 'Deprovisioning sends DELETE /Users/{id} (2026, UNVERIFIED, Okta ref §10.5).',
  clearedAttribute: 'A cleared profile attribute in the PUT: omit, null or empty-string (UNVERIFIED, Okta ref §5.1).',
  timeoutSeconds: 'Seconds without data before Okta gives up on a request (Okta ref §2.4).',
  seed: 'Seeds ids and passwords; the scenario id and the run id when unset. Fix it for byte-for-byte repeatable runs.',
  renameAppGroups: 'Group Push setting "Rename app groups to match group name in Okta" (Okta ref §10.4).',
  testConnectionChecksGroups: 'Test API Credentials also reads /Groups when group import or push is on (UNVERIFIED, Okta ref §3).',
  lookupAttribute: 'The attribute of the existing-user lookup: userName in every capture; emails and externalId UNVERIFIED (Okta ref §4.1).',
  syncOktaPassword: 'With Sync Password, the POST carries the directory password instead of the placeholder (UNVERIFIED, Okta ref §8).',
  putIncludesPassword: 'With Sync Password, profile PUTs carry the last password, as the 2019 docs showed (UNVERIFIED, Okta ref §5.1).',
  excludeUsernameUpdates: 'The To App option "Exclude Username Updates": userName changes are not pushed (Okta ref §5.1).',
  importAdvance: "Imports advance startIndex by count (inferred from the docs) or by the page's itemsPerPage (UNVERIFIED, Okta ref §9.1).",
  listKeysIgnoreCase: "Lower-case resources and totalresults are read like the RFC's keys (UNVERIFIED, Okta ref §2.4).",
  pathlessMembersReplace: 'Push Now as a path-less replace with value: { members } (UNVERIFIED, Okta ref §10.3).',
  retryServerErrors: '5xx answers and timeouts are retried on the 429 schedule (UNVERIFIED: only 429 is documented, Okta ref §11).',
  retryWaits: "After the first wait, each wait doubles (double, Okta ref §11 as written) or follows each 429's own integer Retry-After (retry-after).",
};

/** What each To App feature enables (Okta ref §4–§10). */
export const FEATURE_DESCRIPTIONS: Record<keyof OktaSettings['features'], string> = {
  createUsers: 'Create Users: a user the lookup does not find is created with a POST (Okta ref §4).',
  updateUserAttributes: 'Update User Attributes: profile changes are pushed (Okta ref §5).',
  deactivateUsers: 'Deactivate Users: unassigned and deactivated users are deactivated in the app (Okta ref §6).',
  syncPassword: 'Sync Password: password changes are pushed (Okta ref §8).',
  importUsers: 'Import Users: import-users reads the app users (Okta ref §9.1).',
  importGroups: 'Import Groups: import-groups reads the app groups (Okta ref §9.2).',
  pushGroups: 'Group Push: push-group and push-now (Okta ref §10).',
};

/** A scenario's `settings:` over OKTA_DEFAULTS; throws an Error naming an unknown key or a bad value. */
export function readOktaSettings(raw: unknown): OktaSettings {
  if (raw === undefined || raw === null) return { ...OKTA_DEFAULTS, features: { ...OKTA_DEFAULTS.features } };
  if (!isMapping(raw)) throw new Error(`settings must be a mapping of Okta simulator knobs, got ${show(raw)}`);
  const settings: OktaSettings = { ...OKTA_DEFAULTS, features: { ...OKTA_DEFAULTS.features } };
  const knobs = Object.keys(RULES);
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'features') {
      if (!isMapping(value)) throw new Error(`settings.features must be a mapping of feature names to true or false, got ${show(value)}`);
      const features = Object.keys(OKTA_DEFAULTS.features);
      for (const [feature, enabled] of Object.entries(value)) {
        if (!features.includes(feature)) throw unknownSetting('Okta', 'features.', feature, features);
        (settings.features as Record<string, unknown>)[feature] = checked(`features.${feature}`, enabled, 'boolean');
      }
    } else if (key in RULES) {
      (settings as unknown as Record<string, unknown>)[key] = checked(key, value, RULES[key as keyof typeof RULES]);
    } else {
      throw unknownSetting('Okta', '', key, ['features', ...knobs]);
    }
  }
  return settings;
}
