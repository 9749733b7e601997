/** The build's second step (`npm run build`, after tsc): compiles the bundled scenario library (see scenario/compiled.ts) for the IdPs this build simulates. */
import { IDPS } from '../idp/registry.js';
import { compileBundledLibrary } from '../scenario/load.js';

const { compiled, leftOut } = await compileBundledLibrary(IDPS);
process.stdout.write(`scimulator: compiled ${compiled} bundled scenarios\n`);
// Not a build failure: the files are still there, and a run reports their mistakes.
if (leftOut > 0) process.stderr.write(`scimulator: ${leftOut} scenario file(s) left out for their mistakes: \`scimulator validate\` lists them\n`);
