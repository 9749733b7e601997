import { defaultsOf, group, oneOf, optional, positiveInteger, positiveNumber, setting, SettingError, settingsReader, text, yesNo, type SettingsOf } from '../settings-table.js';
import { appSettingDescription, OKTA_APP_NAMES, withApp } from './apps.js';

/*
 * The settings of the Okta simulator, each declared once, with the defaults docs/reference/okta.md
 * gives (§1, §6, §14). Where the reference says UNVERIFIED, the setting exists and its default is the
 * one it suggests. docs/okta.md's table is generated from this one (npm run schema).
 */

export const OKTA_SETTINGS = {
  variant: setting(oneOf('oin', 'aiw'), 'oin', 'OIN catalog integration or App Integration Wizard custom app, the biggest fork: oin (PATCH for state, PUT for profile) or aiw (PUT for everything) (Okta ref §1).'),
  app: optional(oneOf(...OKTA_APP_NAMES), appSettingDescription()),
  provisioningEnabled: setting(
    yesNo,
    true,
    'Provisioning is enabled for the app. Off: assignments send nothing until an enable-provisioning step, and users assigned before it wait for provision-user (Okta ref §4).',
  ),
  provisioningFeatures: group('The To App features enabled on the Provisioning tab (Okta ref §4–§10).', {
    createUsers: setting(yesNo, true, 'Create Users: a user the lookup does not find is created with a POST (Okta ref §4).'),
    updateUserAttributes: setting(yesNo, true, 'Update User Attributes: profile changes are pushed (Okta ref §5).'),
    deactivateUsers: setting(yesNo, true, 'Deactivate Users: unassigned and deactivated users are deactivated in the app (Okta ref §6).'),
    syncPassword: setting(yesNo, false, 'Sync Password: password changes are pushed (Okta ref §8).'),
    importUsers: setting(yesNo, true, 'Import Users: import-users reads the app users (Okta ref §9.1).'),
    importGroups: setting(yesNo, true, 'Import Groups: import-groups reads the app groups (Okta ref §9.2).'),
    pushGroups: setting(yesNo, true, 'Group Push: push-group and push-now (Okta ref §10).'),
  }),
  appUsernameFormat: setting(oneOf('oktaUsername', 'email'), 'oktaUsername', 'Which Okta attribute is the app username, sent as userName: oktaUsername (login) or email (Okta ref §4.1).'),
  appName: setting(text, 'SCIM 2.0 Test App', "The app's name in admin messages."),
  userUpdateMethod: setting(
    oneOf('PUT', 'PATCH'),
    'PUT',
    "How profile updates are sent: PUT (documented) or PATCH (a vendor's claim, UNVERIFIED: GET, then a path-less replace of the changed values, a cleared one as clearedAttribute says; the body is uncaptured, Okta ref §1, §15).",
  ),
  getBeforeDeactivate: setting(yesNo, true, 'A GET /Users/{id} before the deactivate PATCH (Okta ref §6.1).'),
  filterSpaceEncoding: setting(oneOf('%20', '+'), '%20', 'Spaces in the filter as %20 (captures, current docs) or + (2018–2019 docs) (Okta ref §2.3).'),
  pageSize: setting(positiveInteger, 100, 'Import page size: Okta advances startIndex by it, whatever itemsPerPage says (Okta ref §9.1).'),
  importAdvance: setting(oneOf('count', 'itemsPerPage'), 'count', "Imports advance startIndex by count (inferred from the docs) or by the page's itemsPerPage (UNVERIFIED, Okta ref §9.1)."),
  importSchedule: setting(
    oneOf('never', 'hourly', 'daily', 'weekly'),
    'never',
    'Scheduled full imports, run as Import Now for the enabled imports when advance passes one interval after the start and each after it (Okta ref §9); when in the interval, and users before groups, are UNVERIFIED.',
  ),
  testConnectionCount: setting(positiveInteger, 2, 'count of the Test API Credentials call (Okta ref §3).'),
  testConnectionChecksGroups: setting(yesNo, true, 'Test API Credentials also reads /Groups when group import or push is on (UNVERIFIED for 2.0, Okta ref §3).'),
  lookupAttribute: setting(
    oneOf('userName', 'emails', 'externalId'),
    'userName',
    'The attribute of the existing-user lookup: userName in every capture; emails and externalId UNVERIFIED (Okta ref §4.1).',
  ),
  extendedMappings: setting(
    yesNo,
    false,
    'UNVERIFIED: also map the rest of the SCIM 2.0 template as it is believed to be (nickName, profileUrl, userType, preferredLanguage, timezone, honorificPrefix and honorificSuffix to name, and to the enterprise extension employeeNumber, costCenter, organization, division and managerId as manager.value); no source shows them. The documented mappings: the app username, firstName, middleName, lastName, email, displayName, locale, title, department (Okta ref §4.2, §5.1).',
  ),
  sendPasswordOnCreate: setting(yesNo, true, 'The 8-character placeholder password on every POST (Okta ref §4.2).'),
  syncOktaPassword: setting(yesNo, false, 'With Sync Password, the POST carries the directory password instead of the placeholder (UNVERIFIED, Okta ref §8).'),
  putIncludesPassword: setting(yesNo, false, 'With Sync Password, profile PUTs carry the last password, as the 2019 docs showed (UNVERIFIED, Okta ref §5.1).'),
  passwordPatchShape: setting(oneOf('value-object', 'path'), 'value-object', 'The password-sync PATCH: { op: replace, value: { password } } (value-object) or path: password (path) (UNVERIFIED, Okta ref §8).'),
  clearedAttribute: setting(oneOf('empty-string', 'null', 'omit'), 'omit', 'A cleared profile attribute in the PUT or PATCH: left out (omit), null or "" (empty-string) (UNVERIFIED, Okta ref §5.1).'),
  excludeUsernameUpdates: setting(yesNo, false, 'The To App option "Exclude Username Updates": userName changes are not pushed (Okta ref §5.1).'),
  groupCreateIncludesMembers: setting(yesNo, false, 'The group POST carries the members (2021 capture) rather than members: [] (docs) (Okta ref §10.1).'),
  groupRenameOnMembershipUpdate: setting(
    yesNo,
    true,
    'The reconciliation PATCH replace {id, displayName} after a group create and before each membership update (Okta ref §10.1, §10.3).',
  ),
  // Okta's form allows 100–1000 (Okta ref §10.3); smaller values let a scenario show the split with few users.
  groupPatchBatchSize: setting(positiveInteger, 100, 'Membership changes per PATCH; Okta allows 100 to 1000 (UNVERIFIED default, Okta ref §10.3).'),
  groupCreateOnMatch: setting(
    oneOf('link', 'post'),
    'link',
    'UNVERIFIED: what Create Group does when its displayName lookup finds the group. The reference shows the lookup before the POST but not what a hit does (Okta ref §10.1); link (use the group found, as Link Group does) is inferred from the lookup, post sends the POST anyway.',
  ),
  fullPushUsesReplace: setting(yesNo, true, 'Push Now as a replace of the members; false: adds (Okta ref §10.3).'),
  pathlessMembersReplace: setting(yesNo, false, 'Push Now as a path-less replace with value: { members } (one third-party report, UNVERIFIED, Okta ref §10.3).'),
  renameAppGroups: setting(yesNo, true, 'Group Push setting "Rename app groups to match group name in Okta" (Okta ref §10.4).'),
  granularDeprovisioningDelete: setting(yesNo, false, 'Granular deprovisioning sends DELETE /Users/{id} (2026, UNVERIFIED, Okta ref §10.5).'),
  listKeysIgnoreCase: setting(yesNo, true, "Lower-case resources and totalresults are read like the RFC's keys (2019 docs, UNVERIFIED now, Okta ref §2.4)."),
  retryServerErrors: setting(yesNo, false, '5xx answers, resets and timeouts are retried on the 429 schedule (UNVERIFIED: only 429 is documented, Okta ref §11).'),
  retryWaits: setting(
    oneOf('double', 'retry-after'),
    'double',
    "After the first wait, each wait doubles the one before (double, Okta ref §11 as written: \"the wait doubles each retry\") or is each 429's own integer Retry-After (retry-after); the text can be read either way.",
  ),
  secretToken: optional(
    text,
    "The API token Okta sends, as Authorization: Bearer <token>, instead of the run's credentials: a key the target refuses fails Test API Credentials and every task (Okta ref §2.2, §3, §12).",
  ),
  timeoutSeconds: setting(positiveNumber, 60, 'Seconds without data before Okta gives up on a request (Okta ref §2.4).'),
  seed: optional(text, 'Seeds the placeholder passwords and the ids of the directory; the scenario id and the run id when unset. Fix it for byte-for-byte repeatable runs.'),
};

export type OktaSettings = SettingsOf<typeof OKTA_SETTINGS>;

export const OKTA_DEFAULTS: Readonly<OktaSettings> = defaultsOf(OKTA_SETTINGS);

/** Former setting names, each refused with what to write now. */
export const RENAMED_SETTINGS: Readonly<Record<string, string>> = {
  features: 'settings.features is now settings.provisioningFeatures (the To App features on the Provisioning tab)',
};

const readTable = settingsReader({
  simulator: 'Okta',
  docs: 'docs/okta.md',
  table: OKTA_SETTINGS,
  renamed: RENAMED_SETTINGS,
  check: ({ variant, userUpdateMethod }) => {
    if (variant === 'aiw' && userUpdateMethod === 'PATCH') {
      throw new SettingError('settings.userUpdateMethod: an App Integration Wizard app sends profile updates with PUT and cannot be switched to PATCH; only OIN integrations can (Okta ref §1)', ['settings', 'userUpdateMethod']);
    }
  },
});

/**
 * A scenario's `settings:` over OKTA_DEFAULTS, and what an `app` fixes (apps.ts); throws an Error
 * naming the setting and what it takes.
 */
export function readOktaSettings(raw: unknown): OktaSettings {
  return withApp(readTable(raw), raw);
}
