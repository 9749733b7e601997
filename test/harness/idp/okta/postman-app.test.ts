import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { variantOf } from '../../../../harness/idp/okta/description.js';
import { OKTA_DEFAULTS, readOktaSettings } from '../../../../harness/idp/okta/settings.js';
import { IDPS } from '../../../../harness/idp/registry.js';
import { loadScenarios } from '../../../../harness/scenario/load.js';
import { created, LIST_EMPTY, OktaRig, scimError, type Answer } from './rig.js';

/** Postman's OIN app (Postman ref §7, PM-39): the To App features it offers and the attributes it maps, fixed by `app: postman`. */

const ADA = { login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', title: 'Countess', department: 'Engineering', locale: 'en-GB' };
const SERVER = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u1', userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, active: true, meta: { resourceType: 'User' } };
const echo = (sent: { body?: string }): Answer => ({ status: 200, body: sent.body });

let rig: OktaRig;
afterEach(async () => rig?.close());

const bodyOf = (i: number) => JSON.parse(rig.sent[i]!.body!) as Record<string, unknown>;

describe('settings.app: postman', () => {
  it('keeps the features the app offers and switches off those it lacks; admin messages name the app', () => {
    const settings = readOktaSettings({ app: 'postman' });
    expect(settings.provisioningFeatures).toEqual({
      createUsers: true,
      updateUserAttributes: true,
      deactivateUsers: true,
      syncPassword: false,
      importUsers: false,
      importGroups: false,
      pushGroups: false,
    });
    expect(settings.appName).toBe('Postman');
    expect(settings.variant).toBe('oin');
  });

  it('lets the admin switch off an offered feature and name the app', () => {
    const settings = readOktaSettings({ app: 'postman', appName: 'Postman (EU)', provisioningFeatures: { createUsers: false, pushGroups: false } });
    expect(settings.provisioningFeatures.createUsers).toBe(false);
    expect(settings.appName).toBe('Postman (EU)');
  });

  it('changes nothing without an app', () => {
    expect(readOktaSettings({})).toEqual(OKTA_DEFAULTS);
  });

  it.each([
    [{ provisioningFeatures: { pushGroups: true } }, 'settings.provisioningFeatures.pushGroups: the Postman app does not offer Push Groups: Okta has no such switch for it (Postman ref §7)'],
    [{ provisioningFeatures: { syncPassword: true } }, 'settings.provisioningFeatures.syncPassword: the Postman app does not offer Sync Password: Okta has no such switch for it (Postman ref §7)'],
    [{ provisioningFeatures: { importUsers: true } }, 'settings.provisioningFeatures.importUsers: the Postman app does not offer Import Users: Okta has no such switch for it (Postman ref §7)'],
    [{ provisioningFeatures: { importGroups: true } }, 'settings.provisioningFeatures.importGroups: the Postman app does not offer Import Groups: Okta has no such switch for it (Postman ref §7)'],
    [{ variant: 'aiw' }, 'settings.variant: the Postman app is an OIN integration: it sends state changes as PATCH and profile updates as PUT (Postman ref §7)'],
    [{ userUpdateMethod: 'PATCH' }, 'settings.userUpdateMethod: the Postman app pushes profile updates as a GET and a PUT of the whole user (Postman ref §7)'],
    [{ extendedMappings: true }, 'settings.extendedMappings: the Postman app maps only the username and firstName, lastName (Postman ref §7)'],
    [{ app: 'slack' }, 'settings.app must be one of postman, got "slack"'],
  ])('%j is refused: %s', (over, message) => {
    expect(() => readOktaSettings({ app: 'postman', ...over })).toThrow(message);
  });

  it('is refused where it is written when a scenario is loaded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postman-app-'));
    try {
      const file = join(dir, 'push.yaml');
      writeFileSync(
        file,
        ['id: x.push', 'title: t', 'refs: ["Postman ref §7"]', 'idp: okta', 'settings:', '  app: postman', '  provisioningFeatures:', '    pushGroups: true', 'steps:', '  - test-credentials:', ''].join('\n'),
      );
      const { errors } = await loadScenarios([file], { idps: IDPS });
      expect(errors.map(String)).toEqual([expect.stringMatching(/push\.yaml:8:17: settings\.provisioningFeatures\.pushGroups: the Postman app does not offer Push Groups/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('what the Postman app sends', () => {
  function postman(): OktaRig {
    rig = new OktaRig({ settings: { app: 'postman' }, directory: { users: { ada: ADA }, groups: { eng: { name: 'Engineering', members: ['ada'] } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    rig.on('GET', '/Users/u1', { status: 200, body: SERVER }).on('PUT', '/Users/u1', echo).on('PATCH', '/Users/u1', { status: 204 });
    return rig;
  }

  it('creates with the username and the names only, besides what Okta puts on every create (Okta ref §4.2)', async () => {
    await postman().perform('assign', 'ada');
    expect(rig.lines()).toEqual(['GET /Users?filter=userName%20eq%20%22ada%40example.com%22&startIndex=1&count=100', 'POST /Users']);
    const body = bodyOf(1);
    expect(Object.keys(body)).toEqual(['schemas', 'userName', 'name', 'externalId', 'groups', 'password', 'active']);
    expect(body).toMatchObject({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Lovelace' }, groups: [], active: true });
  });

  it('pushes a name change as GET and PUT; an attribute the app does not map sends nothing', async () => {
    await postman().perform('assign', 'ada');
    rig.clear();
    await rig.perform('update', { user: 'ada', set: { title: 'Dr', department: 'Maths', email: 'a@example.com', locale: 'fr-FR' } });
    expect(rig.sent).toEqual([]);
    await rig.perform('update', { user: 'ada', set: { lastName: 'King' } });
    expect(rig.lines()).toEqual(['GET /Users/u1', 'PUT /Users/u1']);
    expect(bodyOf(1)).toEqual({ ...SERVER, name: { givenName: 'Ada', familyName: 'King' }, externalId: expect.stringMatching(/^00u/), groups: [] });
  });

  it('Test API Credentials reads /Users only: the app has no group feature (Okta ref §3)', async () => {
    await postman().perform('test-credentials');
    expect(rig.lines()).toEqual(['GET /Users?startIndex=1&count=2']);
  });

  it('sends nothing for a password change, and no /Groups request for an assigned group', async () => {
    await postman().perform('assign', { group: 'eng' });
    await rig.perform('password', { user: 'ada', value: 'N3w-Passw0rd!' });
    await rig.perform('rename-group', { group: 'eng', name: 'Platform' });
    expect(rig.lines()).toEqual(['GET /Users?filter=userName%20eq%20%22ada%40example.com%22&startIndex=1&count=100', 'POST /Users']);
    await expect(rig.perform('push-group', 'eng')).rejects.toThrow('push-group needs settings.provisioningFeatures.pushGroups: true');
    await expect(rig.perform('import-users')).rejects.toThrow('import-users needs settings.provisioningFeatures.importUsers: true');
  });
});

describe('retry-tasks: Retry Selected on the failed tasks (Okta ref §11, §12)', () => {
  /** The POST conflicts `times` times, then creates. */
  function failing(times = 1): OktaRig {
    rig = new OktaRig({ settings: { app: 'postman' }, directory: { users: { ada: ADA } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY);
    for (let i = 0; i < times; i++) rig.once('POST', '/Users', scimError(409, 'An invite is pending'));
    rig.on('POST', '/Users', created('u1')).on('GET', '/Users/u1', { status: 200, body: SERVER }).on('PATCH', '/Users/u1', { status: 204 });
    return rig;
  }

  it('runs a failed assignment again, lookup first, and only once', async () => {
    await failing().perform('assign', 'ada');
    expect(rig.records()).toMatchObject([{ status: 'failure', message: 'Automatic provisioning of user Ada Lovelace to app Postman failed: Error while creating user ada@example.com: Conflict. Errors reported by remote server: An invite is pending' }]);
    rig.clear();
    await rig.perform('retry-tasks');
    expect(rig.lines()).toEqual(['GET /Users?filter=userName%20eq%20%22ada%40example.com%22&startIndex=1&count=100', 'POST /Users']);
    expect(rig.records()).toEqual([{ eventType: 'application.provision.user.push', status: 'success', user: 'ada' }]);
    rig.clear();
    await rig.perform('retry-tasks');
    expect(rig.sent).toEqual([]);
  });

  it('keeps a task that fails again for the next retry', async () => {
    await failing(2).perform('assign', 'ada');
    await rig.perform('retry-tasks');
    expect(rig.records().map((r) => r.status)).toEqual(['failure', 'failure']);
    rig.clear();
    await rig.perform('retry-tasks');
    expect(rig.records()).toMatchObject([{ status: 'success', user: 'ada' }]);
  });

  it('drops the task of a user unassigned since, and sends nothing without a failed task', async () => {
    await failing().perform('assign', 'ada');
    await rig.perform('unassign', 'ada');
    rig.clear();
    await rig.perform('retry-tasks');
    expect(rig.sent).toEqual([]);
    expect(rig.outcomes).toEqual([]);
  });
});

describe('the scorecard variant', () => {
  it('names the app and lists every To App feature, offered or not', () => {
    expect(variantOf({ app: 'postman' })).toEqual({
      key: 'okta.postman',
      title: 'Okta To App features · Postman app (OIN)',
      features: [
        { key: 'createUsers', label: 'Create Users', offered: true },
        { key: 'updateUserAttributes', label: 'Update User Attributes (first and last name)', offered: true },
        { key: 'deactivateUsers', label: 'Deactivate Users', offered: true },
        { key: 'reactivateUsers', label: 'Reactivate Users', offered: true },
        { key: 'syncPassword', label: 'Sync Password', offered: false },
        { key: 'importUsers', label: 'Import Users', offered: false },
        { key: 'importGroups', label: 'Import Groups', offered: false },
        { key: 'pushGroups', label: 'Push Groups', offered: false },
      ],
    });
  });

  it('is the integration variant without an app', () => {
    expect(variantOf({})).toEqual({ key: 'okta.oin', title: 'Okta To App features · OIN' });
    expect(variantOf({ variant: 'aiw' })).toEqual({ key: 'okta.aiw', title: 'Okta To App features · AIW' });
  });
});
