import type { IdpDescriptions } from '../scenario/idp-description.js';
import { ENTRA } from './entra/description.js';
import { OKTA } from './okta/description.js';

/** The IdPs this build simulates, as the scenario loader and the editor schema know them. */
export const IDP_DESCRIPTIONS: IdpDescriptions = { okta: OKTA, entra: ENTRA };
