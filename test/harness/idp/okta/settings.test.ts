import { describe, expect, it } from 'vitest';
import { OKTA_DEFAULTS, readOktaSettings } from '../../../../harness/idp/okta/settings.js';

describe('readOktaSettings (Okta ref §14)', () => {
  it('gives the reference defaults without settings, as a copy', () => {
    const settings = readOktaSettings(undefined);
    expect(settings).toEqual(OKTA_DEFAULTS);
    settings.features.syncPassword = true;
    expect(OKTA_DEFAULTS.features.syncPassword).toBe(false);
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

  it('merges knobs over the defaults, features one by one', () => {
    const settings = readOktaSettings({ variant: 'aiw', pageSize: 50, features: { syncPassword: true } });
    expect(settings.variant).toBe('aiw');
    expect(settings.pageSize).toBe(50);
    expect(settings.features).toEqual({ ...OKTA_DEFAULTS.features, syncPassword: true });
  });

  it.each([
    [{ varient: 'aiw' }, /unknown setting varient for the Okta simulator; known: features, variant, /],
    [{ features: { pushGroup: true } }, /unknown setting features\.pushGroup for the Okta simulator; known: createUsers, /],
    [{ variant: 'classic' }, 'settings.variant must be one of "oin", "aiw", got "classic"'],
    [{ pageSize: 0 }, 'settings.pageSize must be a positive integer, got 0'],
    [{ groupPatchBatchSize: 1.5 }, 'settings.groupPatchBatchSize must be a positive integer, got 1.5'],
    [{ timeoutSeconds: -1 }, 'settings.timeoutSeconds must be a positive number, got -1'],
    [{ getBeforeDeactivate: 'yes' }, 'settings.getBeforeDeactivate must be true or false, got "yes"'],
    [{ features: { createUsers: 1 } }, 'settings.features.createUsers must be true or false, got 1'],
    [{ features: [] }, 'settings.features must be a mapping of feature names to true or false, got []'],
    [{ appName: '' }, 'settings.appName must be a non-empty text, got ""'],
    [['oin'], 'settings must be a mapping of Okta simulator knobs, got ["oin"]'],
  ])('%j is refused: %s', (raw, message) => {
    expect(() => readOktaSettings(raw)).toThrow(message);
  });
});
