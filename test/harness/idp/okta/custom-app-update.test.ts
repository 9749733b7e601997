import { describe, expect, it } from 'vitest';
import { readOktaSettings } from '../../../../harness/idp/okta/settings.js';

/** Okta ref §1: OIN integrations can be switched to PATCH profile updates; App Integration Wizard apps use PUT and cannot. */
describe('userUpdateMethod by variant (Okta ref §1)', () => {
  it('an AIW app with PATCH profile updates is refused at the setting', () => {
    expect(() => readOktaSettings({ variant: 'aiw', userUpdateMethod: 'PATCH' })).toThrow(
      'settings.userUpdateMethod: an App Integration Wizard app sends profile updates with PUT and cannot be switched to PATCH; only OIN integrations can (Okta ref §1)',
    );
  });

  it('OIN takes either method, AIW takes PUT', () => {
    expect(readOktaSettings({ variant: 'oin', userUpdateMethod: 'PATCH' }).userUpdateMethod).toBe('PATCH');
    expect(readOktaSettings({ variant: 'aiw', userUpdateMethod: 'PUT' }).userUpdateMethod).toBe('PUT');
    expect(readOktaSettings({ variant: 'aiw' }).userUpdateMethod).toBe('PUT');
  });
});
