import type { IdpDefinition, IdpVariant } from '../types.js';
import { DESCRIPTION } from './description.js';
import { compliantPatch, readEntraSettings } from './settings.js';
import { createEntraSimulator } from './simulator.js';

/** The PATCH dialect `settings.flags` chooses (default none: legacy) (Entra ref §8). */
function variantOf(settings: Record<string, unknown>): IdpVariant {
  return compliantPatch(readEntraSettings(settings))
    ? { key: 'entra.aadoptscim062020', title: 'Entra capabilities · aadOptscim062020' }
    : { key: 'entra.legacy', title: 'Entra capabilities · legacy' };
}

/**
 * Microsoft Entra ID provisioning (docs/entra.md). Its legacy dialect departs from RFC 7644
 * (Entra ref §6), so its scenarios meet a lenient embedded server.
 */
export const ENTRA: IdpDefinition = { ...DESCRIPTION, name: 'entra', target: { profile: 'lenient' }, create: createEntraSimulator, variantOf };
