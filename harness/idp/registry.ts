import { ENTRA } from './entra/index.js';
import { OKTA } from './okta/index.js';
import { idpRegistry } from './types.js';

/**
 * The IdPs this build simulates, by the name scenarios give them. The CLI hands it to the loader
 * and the runner; adding an IdP is one folder and one entry here.
 */
export const IDPS = idpRegistry(OKTA, ENTRA);
