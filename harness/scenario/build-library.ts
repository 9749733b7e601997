/** The build's second step (`npm run build`, after tsc): compiles the bundled scenario library (see compiled.ts). */
import { compileBundledLibrary } from './load.js';

const count = await compileBundledLibrary();
process.stdout.write(`scimulator: compiled ${count} bundled scenarios\n`);
