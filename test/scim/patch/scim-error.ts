import { expect } from 'vitest';
import { ScimError } from '../../../scim/errors.js';

/** The ScimError that `fn` throws; a test failure when it throws something else or nothing. */
export function scimError(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError);
    return error as ScimError;
  }
  throw new Error('expected a ScimError');
}
