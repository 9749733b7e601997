import type { IdpDefinition } from '../types.js';
import { DESCRIPTION } from './description.js';
import { createEntraSimulator } from './simulator.js';

/**
 * Microsoft Entra ID provisioning (docs/entra.md). Its legacy dialect departs from RFC 7644
 * (Entra ref §6), so its scenarios meet a lenient embedded server.
 */
export const ENTRA: IdpDefinition = { ...DESCRIPTION, name: 'entra', target: { lenient: true }, create: createEntraSimulator };
