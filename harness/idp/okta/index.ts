import type { IdpDefinition } from '../types.js';
import { DESCRIPTION, variantOf } from './description.js';
import { createOktaSimulator } from './simulator.js';

/** Okta To-App provisioning (docs/okta.md): Okta's requests meet a strict target as they are. */
export const OKTA: IdpDefinition = { ...DESCRIPTION, name: 'okta', target: {}, create: createOktaSimulator, variantOf };
