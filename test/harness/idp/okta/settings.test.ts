import { describe, expect, it } from 'vitest';
import { OKTA_DEFAULTS, readOktaSettings } from '../../../../harness/idp/okta/settings.js';

describe('readOktaSettings (Okta ref §14)', () => {
  it('gives the reference defaults without settings, as a copy', () => {
    const settings = readOktaSettings(undefined);
    expect(settings).toEqual(OKTA_DEFAULTS);
    settings.provisioningFeatures.syncPassword = true;
    expect(OKTA_DEFAULTS.provisioningFeatures.syncPassword).toBe(false);
    expect(readOktaSettings({})).toEqual(OKTA_DEFAULTS);
  });

  it('the defaults Okta ref §14 names', () => {
    expect(OKTA_DEFAULTS).toMatchObject({
      variant: 'oin',
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
      timeoutSeconds: 60,
    });
  });

  it('merges knobs over the defaults, provisioning features one by one', () => {
    const settings = readOktaSettings({ variant: 'aiw', pageSize: 50, provisioningFeatures: { syncPassword: true } });
    expect(settings.variant).toBe('aiw');
    expect(settings.pageSize).toBe(50);
    expect(settings.provisioningFeatures).toEqual({ ...OKTA_DEFAULTS.provisioningFeatures, syncPassword: true });
  });

  it('refuses the former name features, naming provisioningFeatures', () => {
    expect(() => readOktaSettings({ features: { syncPassword: true } })).toThrow(
      'settings.features is now settings.provisioningFeatures (the To App features on the Provisioning tab)',
    );
  });

  it.each([
    [{ varient: 'aiw' }, "unknown setting varient for the Okta simulator: did you mean 'variant'? (see docs/okta.md)"],
    [{ colour: 'red' }, /^unknown setting colour for the Okta simulator; known: variant, .*, seed \(see docs\/okta\.md\)$/],
    [{ provisioningFeatures: { pushGroup: true } }, "unknown setting provisioningFeatures.pushGroup for the Okta simulator: did you mean 'pushGroups'?"],
    [{ variant: 'classic' }, 'settings.variant must be one of oin, aiw, got "classic"'],
    [{ variant: 'AIW' }, "settings.variant must be one of oin, aiw, got \"AIW\": did you mean 'aiw'?"],
    [{ pageSize: 0 }, 'settings.pageSize must be a positive integer, got 0'],
    [{ groupPatchBatchSize: 1.5 }, 'settings.groupPatchBatchSize must be a positive integer, got 1.5'],
    [{ timeoutSeconds: -1 }, 'settings.timeoutSeconds must be a positive number, got -1'],
    [{ getBeforeDeactivate: 'yes' }, 'settings.getBeforeDeactivate must be true or false, got "yes"'],
    [{ provisioningFeatures: { createUsers: 1 } }, 'settings.provisioningFeatures.createUsers must be true or false, got 1'],
    [{ provisioningFeatures: [] }, 'settings.provisioningFeatures must be a mapping { createUsers, updateUserAttributes, deactivateUsers, syncPassword, importUsers, importGroups, pushGroups }, got []'],
    [{ appName: '' }, 'settings.appName must be a non-empty text, got ""'],
    [{ seed: 7 }, 'settings.seed must be a non-empty text, got 7 (see docs/okta.md)'],
    [['oin'], 'settings must be a mapping of Okta simulator settings (see docs/okta.md), got ["oin"]'],
  ])('%j is refused: %s', (raw, message) => {
    expect(() => readOktaSettings(raw)).toThrow(message);
  });
});
