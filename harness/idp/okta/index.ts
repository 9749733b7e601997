import type { IdpDefinition, IdpVariant } from '../types.js';
import { DESCRIPTION } from './description.js';
import { readOktaSettings } from './settings.js';
import { createOktaSimulator } from './simulator.js';

/** The integration variant `settings.variant` chooses (default oin): OIN or AIW (Okta ref §1). */
function variantOf(settings: Record<string, unknown>): IdpVariant {
  const { variant } = readOktaSettings(settings);
  return { key: `okta.${variant}`, title: `Okta To App features · ${variant.toUpperCase()}` };
}

/** Okta To-App provisioning (docs/okta.md): Okta's requests meet a strict target as they are. */
export const OKTA: IdpDefinition = { ...DESCRIPTION, name: 'okta', target: {}, create: createOktaSimulator, variantOf };
