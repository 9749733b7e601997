/**
 * The knobs of the Okta simulator, with the defaults reference/okta-wire.md gives (§1, §6, §14).
 * Where the reference says UNVERIFIED, the knob exists and its default is the one it suggests.
 */
export interface OktaSettings {
  /** OIN catalog integration or App Integration Wizard custom app: the biggest fork (okta-wire §1). */
  variant: 'oin' | 'aiw';
  /** The To App features enabled on the Provisioning tab (okta-wire §4–§8). */
  features: {
    createUsers: boolean;
    updateUserAttributes: boolean;
    deactivateUsers: boolean;
    syncPassword: boolean;
    importUsers: boolean;
    importGroups: boolean;
    pushGroups: boolean;
  };
  /** Which Okta profile attribute becomes the app username, sent as userName (okta-wire §4.1). */
  appUsernameFormat: 'oktaUsername' | 'email';
  /** What the app is called in admin messages. */
  appName: string;
  /** How profile updates are sent: PUT (documented) or PATCH (a vendor's claim, UNVERIFIED; okta-wire §1). */
  userUpdateMethod: 'PUT' | 'PATCH';
  /** A GET /Users/{id} before the deactivate PATCH (okta-wire §6.1). */
  getBeforeDeactivate: boolean;
  /** `%20` (captures and current docs) or `+` (2018–2019 docs) for spaces in the filter (okta-wire §2.3). */
  filterSpaceEncoding: '%20' | '+';
  /** Import page size: Okta advances startIndex by this, whatever itemsPerPage says (okta-wire §9.1). */
  pageSize: number;
  /** count of the Test API Credentials call (okta-wire §3). */
  testConnectionCount: number;
  /** The 8-character placeholder password on every create (okta-wire §4.2). */
  sendPasswordOnCreate: boolean;
  /** The password-sync PATCH body: `{ value: { password } }` or `path: password` (UNVERIFIED; okta-wire §8). */
  passwordPatchShape: 'value-object' | 'path';
  /** Group create carries the members (2021 capture) or `members: []` (docs) (okta-wire §10.1). */
  groupCreateIncludesMembers: boolean;
  /** A `replace {id, displayName}` PATCH accompanies membership updates (okta-wire §10.3). */
  groupRenameOnMembershipUpdate: boolean;
  /** Membership changes per PATCH, 100 to 1000 (UNVERIFIED default 100; okta-wire §10.3). */
  groupPatchBatchSize: number;
  /** Push Now sends `replace members` (okta-wire §10.3). */
  fullPushUsesReplace: boolean;
  /** Granular deprovisioning sends DELETE /Users/{id} (2026, UNVERIFIED; okta-wire §10.5). */
  granularDeprovisioningDelete: boolean;
  /** A cleared profile attribute is sent as "", null, or left out of the PUT (UNVERIFIED; okta-wire §5.1). */
  clearedAttribute: 'empty-string' | 'null' | 'omit';
  /** Seconds without data before Okta gives up on a request (okta-wire §2.4). */
  timeoutSeconds: number;
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
}) as OktaSettings;
