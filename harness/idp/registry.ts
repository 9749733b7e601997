import { createEntraSimulator } from './entra/simulator.js';
import { createOktaSimulator } from './okta/simulator.js';
import { SIMULATORS } from './types.js';

/** Registers the simulators this build has; imported by the runner, so that a run finds them. */
SIMULATORS.okta = createOktaSimulator;
SIMULATORS.entra = createEntraSimulator;
