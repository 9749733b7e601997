import { afterEach, describe, expect, it } from 'vitest';
import { jacksonError, remoteError } from '../../../../harness/idp/okta/messages.js';
import { created, LIST_EMPTY, OktaRig, scimError } from './rig.js';

/** The admin-facing texts of Okta ref §12, and Jackson's words for a body that is not JSON (§2.4). */

const EXPECTING = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const APP = 'SCIM 2.0 Test App';
const ada = { users: { ada: { login: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' } } };

let rig: OktaRig;
afterEach(async () => rig?.close());

describe("Jackson's parse errors (Okta ref §2.4, §12)", () => {
  it.each([
    ['Error 400', `Unrecognized token 'Error': was expecting ${EXPECTING} at [line: 1, column: 6]`],
    ['Unsupported Media Type', `Unrecognized token 'Unsupported': was expecting ${EXPECTING} at [line: 1, column: 12]`],
    ['error code: 502', `Unrecognized token 'error': was expecting ${EXPECTING} at [line: 1, column: 6]`],
    ['\n  Bad', `Unrecognized token 'Bad': was expecting ${EXPECTING} at [line: 2, column: 6]`],
    ['<html>', `Unexpected character ('<' (code 60)): expected a valid value ${EXPECTING} at [line: 1, column: 2]`],
  ])('%j', (text, words) => {
    expect(jacksonError(text)).toBe(words);
  });

  it('the remote half: reason phrase, then the SCIM detail, Invalid JSON for text, nothing after the colon without a detail', () => {
    expect(remoteError({ status: 409, text: '{"detail":"userName taken"}', headers: {} })).toBe('Conflict. Errors reported by remote server: userName taken');
    expect(remoteError({ status: 502, text: 'error code: 502', headers: {} })).toBe(
      `Bad Gateway. Errors reported by remote server: Invalid JSON: Unrecognized token 'error': was expecting ${EXPECTING} at [line: 1, column: 6]`,
    );
    expect(remoteError({ status: 500, text: '', headers: {} })).toBe('Internal Server Error. Errors reported by remote server:');
    expect(remoteError({ error: 'Read timed out' })).toBe('Read timed out');
  });
});

describe('task messages (Okta ref §12)', () => {
  it('a plain-text error body on the POST', async () => {
    rig = new OktaRig({ directory: ada });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', { status: 400, body: 'Error 400', headers: { 'content-type': 'text/plain' } });
    await rig.perform('assign', 'ada');
    expect(rig.records()).toEqual([
      {
        eventType: 'application.provision.user.push',
        user: 'ada',
        status: 'failure',
        message: `Automatic provisioning of user Ada Lovelace to app ${APP} failed: Error while creating user ada@example.com: Bad Request. Errors reported by remote server: Invalid JSON: Unrecognized token 'Error': was expecting ${EXPECTING} at [line: 1, column: 6]`,
      },
    ]);
  });

  it.each([
    ['an empty 201', { status: 201 }],
    ['a 201 without an id', { status: 201, body: { userName: 'ada@example.com' } }],
  ])('%s to the POST: "Create new user returned empty user." (Okta ref §4.3)', async (_, answer) => {
    rig = new OktaRig({ directory: ada });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', answer);
    await rig.perform('assign', 'ada');
    expect(rig.records()[0]!.message).toBe(`Automatic provisioning of user Ada Lovelace to app ${APP} failed: Error while creating user ada@example.com: Create new user returned empty user.`);
    expect(rig.simulator.targetOf('ada')).toBeUndefined();
  });

  it('a 401 on the lookup GET (S18)', async () => {
    rig = new OktaRig({ directory: ada });
    rig.on('GET', /^\/Users\?filter=/, scimError(401, 'Invalid SCIM token, please check your configuration'));
    await rig.perform('assign', 'ada');
    expect(rig.lines()).toHaveLength(1);
    expect(rig.records()[0]!.message).toBe(
      `Automatic provisioning of user Ada Lovelace to app ${APP} failed: Error while verifying if user ada@example.com exists: Unauthorized. Errors reported by remote server: Invalid SCIM token, please check your configuration`,
    );
  });

  it('a 409 on the POST, and the app name from settings', async () => {
    rig = new OktaRig({ settings: { appName: 'Acme' }, directory: ada });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', scimError(409, 'userName is already taken'));
    await rig.perform('assign', 'ada');
    expect(rig.records()[0]!.message).toBe(
      'Automatic provisioning of user Ada Lovelace to app Acme failed: Error while creating user ada@example.com: Conflict. Errors reported by remote server: userName is already taken',
    );
  });

  it('Create Users off and no match: "Matching user not found." (S17)', async () => {
    rig = new OktaRig({ settings: { provisioningFeatures: { createUsers: false } }, directory: ada });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY);
    await rig.perform('assign', 'ada');
    expect(rig.lines()).toHaveLength(1);
    expect(rig.records()[0]!.message).toBe(`Automatic provisioning of user Ada Lovelace to app ${APP} failed: Matching user not found.`);
  });

  it('a 400 on the profile PUT (fleetdm#53446) and a 500 with no detail (TeamOhana)', async () => {
    rig = new OktaRig({ directory: ada });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    rig.on('GET', '/Users/u1', { status: 200, body: { id: 'u1', userName: 'ada@example.com', active: true } });
    rig.once('PUT', '/Users/u1', scimError(400, 'Bad Request. Invalid parameter provided in request: value.'));
    rig.once('PUT', '/Users/u1', { status: 500 });
    await rig.perform('assign', 'ada');
    await rig.perform('update', { user: 'ada', set: { title: 'Countess' } });
    await rig.perform('update', { user: 'ada', set: { title: 'Analyst' } });
    expect(rig.records().slice(1).map((r) => r.message)).toEqual([
      `Automatic profile push of user Ada Lovelace to app ${APP} failed: Error while trying to push profile update for ada@example.com: Bad Request. Errors reported by remote server: Bad Request. Invalid parameter provided in request: value.`,
      `Automatic profile push of user Ada Lovelace to app ${APP} failed: Error while trying to push profile update for ada@example.com: Internal Server Error. Errors reported by remote server:`,
    ]);
  });

  it('a server that rejects the path-less PATCH: the deactivation fails (no fallback to PUT, Okta ref §6.1)', async () => {
    rig = new OktaRig({ directory: ada });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    rig.on('GET', '/Users/u1', { status: 200, body: { id: 'u1' } });
    rig.on('PATCH', '/Users/u1', { status: 400, body: { schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], scimType: 'noTarget', detail: 'path is required', status: '400' } });
    await rig.perform('assign', 'ada');
    await rig.perform('unassign', 'ada');
    expect(rig.lines().slice(2)).toEqual(['GET /Users/u1', 'PATCH /Users/u1']);
    expect(rig.records()[1]).toEqual({
      eventType: 'application.provision.user.deactivate',
      user: 'ada',
      status: 'failure',
      message: `Automatic deprovisioning of user Ada Lovelace from app ${APP} failed: Error while deactivating user ada@example.com: Bad Request. Errors reported by remote server: path is required`,
    });
  });

  it('a 501 on a membership PATCH (scim-for-keycloak#144)', async () => {
    rig = new OktaRig({ settings: { groupRenameOnMembershipUpdate: false }, directory: { ...ada, groups: { g: { name: 'Sales', members: ['ada'] } } } });
    rig.on('GET', /^\/Users\?filter=/, LIST_EMPTY).on('POST', '/Users', created('u1'));
    rig.on('GET', /^\/Groups\?filter=/, LIST_EMPTY).on('POST', '/Groups', { status: 201, body: { id: 'g1' } });
    rig.on('PATCH', '/Groups/g1', scimError(501, 'patch-REPLACE-operation not supported for group.members'));
    await rig.perform('assign', 'ada');
    await rig.perform('push-group', 'g');
    expect(rig.records()[1]!.message).toBe(
      'Unable to update Group Push mapping target App group Sales: Error while updating user group membership for group Sales Not Implemented. Errors reported by remote server: patch-REPLACE-operation not supported for group.members',
    );
  });
});
