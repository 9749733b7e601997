import { readFile } from 'node:fs/promises';
import { Command, Option } from 'commander';
import type { ReferenceServer } from '../../reference-server/app.js';
import type { BasicCredentialOption } from '../../reference-server/auth.js';
import type { RequestLogFormat } from '../../reference-server/request-log.js';
import { serverLimits } from '../../reference-server/limits.js';
import { openFailure, shownStore, StoreOpenError } from '../../reference-server/store/spec.js';
import { DEFAULT_BASE_PATH, resolveOptions, type ReferenceServerOptions } from '../../reference-server/options.js';
import { bundledProfileNames } from '../../reference-server/profile/load.js';
import { isVariation, VARIATION_NAMES, VARIATIONS, type Variation } from '../../reference-server/variations.js';
import { LENIENT } from '../../scim/compat.js';

interface ServeFlags {
  host: string;
  port: string;
  basePath: string;
  token?: string[];
  basic?: string[];
  seed?: string;
  profile?: string;
  lenient?: boolean;
  publicDiscovery?: boolean;
  patchStatus?: string;
  maxPageSize?: string;
  variation?: string[];
  log?: RequestLogFormat;
  faults?: string;
  adminToken?: string;
  store?: string;
}

/** A mistake on the command line or in its files: reported in one line, exit code 2. */
class UsageError extends Error {}

const USAGE_EXIT_CODE = 2;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `text` broken at spaces into lines of at most 80 characters, later lines indented by `indent`. */
function wrap(text: string, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/(?<=\S) (?=\S)/)) {
    if (line !== '' && line.length + 1 + word.length > 80) {
      lines.push(line);
      line = ' '.repeat(indent) + word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line].join('\n');
}

const SEED_EXAMPLE = `
A seed file (YAML) lists SCIM resources as a client would POST them; schemas
may be left out, and group members are userNames or group displayNames:
  users:
    - userName: ada@example.com
      name: { givenName: Ada, familyName: Lovelace }
  groups:
    - displayName: Engineers
      members: [ada@example.com]

Profiles (--profile NAME or --profile FILE; docs/profiles.md) describe how the
server behaves; a file may extend a bundled one.
${wrap(`Bundled: ${bundledProfileNames().join(', ')}.`, 2)}
The shorthand flags set one profile field each and win over the profile.

Variations (--variation NAME, repeatable, or --variation all) make the server
behave in ways RFC 7643/7644 allow but that differ from its default, to try a
client or a test suite against them:
${VARIATION_NAMES.map((name) => wrap(`  ${name.padEnd(25)}${VARIATIONS[name]}`, 27)).join('\n')}

Examples:
  scimulator serve --seed seed.yaml
  scimulator serve --port 0 --token "$TOKEN" --lenient
  scimulator serve --variation eq-and-filters --variation no-search
  scimulator serve --profile lenient --patch-status 204
  scimulator serve --profile ./my-target.yaml
  scimulator serve --faults faults.yaml   (answers that fail on purpose: docs/faults.md)

Exit codes: 0 stopped with Ctrl+C or SIGTERM, 2 a mistake on the command line
or in the seed or faults file, or a port it cannot listen on.`;

/** Every limit with its default, worked out when the help is shown. */
function limitsHelp(): string {
  const lines = serverLimits(resolveOptions({})).map(({ what, value, beyond }) => `  ${what.padEnd(40)}${value.padEnd(18)}${beyond}`);
  return `\nLimits (README, "Limits"), with their defaults and what a request beyond gets;
--max-page-size sets the page size; createReferenceServer options set the rest:\n${lines.join('\n')}`;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the reference SCIM 2.0 server (RFC 7644; in memory, or on PostgreSQL with --store) until stopped with Ctrl+C.')
    .addOption(new Option('--host <host>', 'the address to listen on; 0.0.0.0 for every interface').default('127.0.0.1', '127.0.0.1'))
    .addOption(new Option('--port <port>', 'the port to listen on; 0 picks a free port').default('8080', '8080'))
    .addOption(new Option('--base-path <path>', 'where the SCIM endpoints are mounted; / for the root').default(DEFAULT_BASE_PATH, DEFAULT_BASE_PATH))
    .addOption(
      new Option('--token <token>', 'a bearer token clients must send; repeat for several (default: a generated one, printed at start)')
        .argParser(collect)
        .env('SCIMULATOR_TOKEN'),
    )
    .addOption(new Option('--basic <user:password>', 'also accept HTTP Basic with these credentials; repeatable (default: off)').argParser(collect))
    .option('--seed <file>', 'load users and groups from a YAML file at start (default: none)')
    .option('--profile <name|file>', 'how the server behaves: a bundled profile listed below, or a profile YAML file (docs/profiles.md) (default: strict)')
    .option('--lenient', "accept Entra's and Okta's departures from RFC 7644: sets every compat field of the profile (default: the profile's)")
    .option('--public-discovery', "answer /ServiceProviderConfig, /ResourceTypes and /Schemas without a credential: sets discovery.public (default: the profile's, off)")
    .option('--patch-status <status>', "PATCH answers 200 with the resource, or 204 without a body: sets patch.status (default: the profile's, 200)")
    .option('--max-page-size <n>', "the most resources one page of a list returns: sets paging.maxResults (default: the profile's, 1000)")
    .addOption(
      new Option('--variation <name>', 'an RFC-correct behaviour other than the default, listed below: lays profiles/variations/NAME.yaml over the profile; repeatable, or all (default: none)').argParser(
        collect,
      ),
    )
    .addOption(
      new Option('--log [format]', 'print one line per request to stdout: time, method, path, status, ms and the SCIM error; --log json for JSON lines (default: off)')
        .choices(['text', 'json'])
        .preset('text'),
    )
    .option('--faults <file>', 'inject the faults a YAML or JSON file describes: 429s, 5xx, HTML pages, resets, delays (docs/faults.md) (default: none)')
    .addOption(
      new Option('--admin-token <token>', 'enable the admin API for clients sending this bearer token: faults at /_scimulator/faults, team invites at /_scimulator/invites (accept or delete, as a team admin would), key rotation at /_scimulator/token and the server clock at /_scimulator/clock (default: off)').env(
        'SCIMULATOR_ADMIN_TOKEN',
      ),
    )
    .addOption(
      new Option('--store <memory|url>', 'where users and groups live: memory (lost when stopped), or a PostgreSQL URL such as postgres://user:password@localhost:5432/scim, shared by every instance given it; tables are created or upgraded at start (README, "PostgreSQL store")')
        .default('memory', 'memory')
        .env('SCIMULATOR_STORE'),
    )
    .addHelpText('after', SEED_EXAMPLE)
    .addHelpText('after', limitsHelp)
    .showHelpAfterError("(run 'scimulator serve --help' for the options)")
    // Commander exits 1 on a usage error; every user mistake here exits 2.
    .exitOverride((error) => process.exit(error.exitCode === 1 ? USAGE_EXIT_CODE : error.exitCode))
    .action(async (flags: ServeFlags, command: Command) => {
      try {
        const source = (option: string, flag: string, env: string) => (command.getOptionValueSource(option) === 'env' ? env : flag);
        await serve(flags, source('token', '--token', 'SCIMULATOR_TOKEN'), source('adminToken', '--admin-token', 'SCIMULATOR_ADMIN_TOKEN'));
      } catch (error) {
        const { SeedError } = await import('../../reference-server/seed.js');
        if (!(error instanceof UsageError || error instanceof SeedError)) throw error;
        process.stderr.write(`${error instanceof SeedError ? '' : 'error: '}${error.message}\n`);
        process.exitCode = USAGE_EXIT_CODE;
      }
    });
}

async function serve(flags: ServeFlags, tokenSource: string, adminTokenSource: string): Promise<void> {
  // Loaded here, not at the top: other commands and --help do without fastify.
  const [{ createReferenceServer }, { applySeed, loadSeed }, { loadFaultFile, FaultFileError }, { ADMIN_PATH }, { INVITES_PATH }, { TOKEN_PATH }, { CLOCK_PATH }] = await Promise.all([
    import('../../reference-server/app.js'),
    import('../../reference-server/seed.js'),
    import('../../reference-server/faults/file.js'),
    import('../../reference-server/faults/admin.js'),
    import('../../reference-server/team/admin.js'),
    import('../../reference-server/admin/token.js'),
    import('../../reference-server/admin/clock.js'),
  ]);
  const options = toOptions(flags, tokenSource, adminTokenSource);
  const seed = flags.seed === undefined ? undefined : loadSeed(await readUserFile(flags.seed, 'seed file', '--seed'), flags.seed);
  if (flags.faults !== undefined) {
    try {
      options.faults = loadFaultFile(await readUserFile(flags.faults, 'faults file', '--faults'), flags.faults);
    } catch (error) {
      throw error instanceof FaultFileError ? new UsageError(error.message) : error;
    }
  }
  let server: ReferenceServer;
  try {
    server = createReferenceServer({ ...options, store: flags.store });
  } catch (error) {
    // The options were checked above; what is left is the server's own validation (a base path with '?', …).
    throw new UsageError((error as Error).message);
  }
  let ready: string;
  try {
    // Seeded before it listens, so that no client sees the store half seeded; a database is opened first.
    await server.store.open?.().catch((error: unknown) => {
      throw new UsageError(`${openFailure(flags.store, error).message}; check --store`);
    });
    // A database keeps what an earlier start seeded: seeding again would only meet 409s.
    const empty = !seed || (await server.store.list('User', { count: 0 })).totalResults + (await server.store.list('Group', { count: 0 })).totalResults === 0;
    const seeded = seed && (empty ? await applySeed(server.services, seed, server.store) : 'kept' as const);
    const { url } = await listen(server);
    const basicUsers = (options.basic ?? []).map((credential) => credential.user);
    const faults = options.faults === undefined ? undefined : { rules: options.faults.rules.length, file: flags.faults! };
    const admin = options.adminToken === undefined ? undefined : { url: `${new URL(url).origin}${ADMIN_PATH}`, invitesUrl: `${new URL(url).origin}${INVITES_PATH}`, tokenUrl: `${new URL(url).origin}${TOKEN_PATH}`, clockUrl: `${new URL(url).origin}${CLOCK_PATH}`, token: options.adminToken, source: adminTokenSource };
    ready = banner({ url, flags, tokenSource, basicUsers, generatedToken: server.generatedToken, seeded, faults, admin });
  } catch (error) {
    await server.close();
    throw error;
  }
  const stop = (): void => {
    server.close().then(
      () => process.stdout.write('scimulator reference server stopped.\n'),
      (error: Error) => {
        process.stderr.write(`error: could not stop cleanly: ${error.message}\n`);
        process.exitCode = 1;
      },
    );
  };
  // `once`: a second Ctrl+C while closing falls back to Node's default, which ends the process at once.
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // Only now: a client that stops the server as soon as it reads the banner must find the handlers there.
  process.stdout.write(ready);
}

function toOptions(flags: ServeFlags, tokenSource: string, adminTokenSource: string): ReferenceServerOptions {
  const tokens = flags.token ?? [];
  if (tokens.some((token) => token === '')) throw new UsageError(`${tokenSource} is empty: give a non-empty bearer token`);
  const adminToken = flags.adminToken;
  if (adminToken !== undefined && !/^\S+$/.test(adminToken)) throw new UsageError(`${adminTokenSource} must be a non-empty token without spaces`);
  if (adminToken !== undefined && tokens.includes(adminToken)) {
    throw new UsageError(`${adminTokenSource} must differ from every --token: the fault admin API and SCIM take separate credentials`);
  }
  return {
    host: flags.host,
    port: parsePort(flags.port),
    basePath: flags.basePath,
    tokens,
    basic: (flags.basic ?? []).map(parseBasic),
    compat: flags.lenient ? LENIENT : undefined,
    // Unset unless given: a flag overrides the profile's field, its absence does not.
    publicDiscovery: flags.publicDiscovery,
    ...(flags.profile !== undefined && { profile: flags.profile }),
    patchStatus: flags.patchStatus === undefined ? undefined : parsePatchStatus(flags.patchStatus),
    maxPageSize: flags.maxPageSize === undefined ? undefined : parseMaxPageSize(flags.maxPageSize),
    variations: parseVariations(flags.variation ?? []),
    log: flags.log ?? false,
    adminToken,
  };
}

/** A whole number written in digits only, or NaN: Number() would take '', '0x1f' and '1e3'. */
function whole(text: string): number {
  return /^\d{1,16}$/.test(text) ? Number(text) : NaN;
}

function parsePort(text: string): number {
  const value = whole(text);
  if (!(value <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535, got "${text}": pass --port 0 for a free port`);
  return value;
}

function parseMaxPageSize(text: string): number {
  const value = whole(text);
  if (!(value >= 1 && Number.isSafeInteger(value))) throw new UsageError(`--max-page-size must be a positive whole number, got "${text}"`);
  return value;
}

function parsePatchStatus(text: string): 200 | 204 {
  if (text === '200' || text === '204') return Number(text) as 200 | 204;
  throw new UsageError(`--patch-status must be 200 or 204, got "${text}"`);
}

function parseVariations(names: string[]): Variation[] {
  if (names.includes('all')) return VARIATION_NAMES;
  const unknown = names.find((name) => !isVariation(name));
  if (unknown !== undefined) throw new UsageError(`--variation "${unknown}" is not a variation: use all or one of ${VARIATION_NAMES.join(', ')}`);
  return [...new Set(names as Variation[])];
}

/** RFC 7617 §2: the user-id cannot contain a colon, so the first colon ends it and the password may hold more. */
function parseBasic(text: string): BasicCredentialOption {
  const colon = text.indexOf(':');
  if (colon === -1) throw new UsageError(`--basic needs user:password, got no colon: write --basic ${text || 'user'}:password`);
  if (colon === 0) throw new UsageError('--basic needs a user name before the colon: write --basic user:password');
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** A file named on the command line (`what`: 'seed file'), or a UsageError naming its `flag`. */
async function readUserFile(path: string, what: string, flag: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new UsageError(`cannot read the ${what} "${path}": ${why}; check the ${flag} path`);
  }
}

async function listen(server: ReferenceServer): Promise<{ url: string }> {
  try {
    return await server.listen();
  } catch (error) {
    if (error instanceof StoreOpenError) throw new UsageError(`${error.message}; check --store`);
    const { code } = error as NodeJS.ErrnoException;
    const { host, port } = server.options;
    if (code === 'EADDRINUSE') throw new UsageError(`port ${port} is in use: pass --port 0 for a free port or another number`);
    if (code === 'EACCES') throw new UsageError(`port ${port} needs more privileges: pass --port 0 for a free port, or one above 1023`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new UsageError(`cannot listen on host "${host}": it is not an address of this machine; try --host 127.0.0.1 or --host 0.0.0.0`);
    }
    throw error;
  }
}

/** A token the user typed is theirs already: show only enough to tell tokens apart (none of a short one). */
function mask(token: string): string {
  return `${token.slice(0, Math.min(4, Math.floor(token.length / 4)))}…`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

interface BannerInput {
  url: string;
  flags: ServeFlags;
  tokenSource: string;
  basicUsers: string[];
  generatedToken: string | undefined;
  seeded: { users: number; groups: number } | 'kept' | undefined;
  faults: { rules: number; file: string } | undefined;
  admin: { url: string; invitesUrl: string; tokenUrl: string; clockUrl: string; token: string; source: string } | undefined;
}

function banner({ url, flags, tokenSource, basicUsers, generatedToken, seeded, faults, admin }: BannerInput): string {
  const lines = [`scimulator reference server listening on ${url}`];
  // A generated token is printed in full: this is the only place the user can learn it.
  if (generatedToken !== undefined) lines.push(`  auth: Authorization: Bearer ${generatedToken}   (generated for this run; pass --token to choose one)`);
  for (const token of flags.token ?? []) lines.push(`  auth: Authorization: Bearer ${mask(token)}   (from ${tokenSource}, shown masked)`);
  for (const user of basicUsers) lines.push(`  auth: HTTP Basic as user "${user}"   (password from --basic)`);
  if (flags.profile !== undefined) lines.push(`  profile: ${flags.profile}${flags.lenient ? ', with --lenient' : ''}`);
  else {
    lines.push(
      flags.lenient
        ? "  mode: lenient (accepts Entra's and Okta's departures from RFC 7644)"
        : "  mode: strict (use --lenient to accept Entra's and Okta's departures from RFC 7644)",
    );
  }
  const variations = parseVariations(flags.variation ?? []);
  if (variations.length > 0) lines.push(`  variations: ${variations.join(', ')}`);
  if (flags.publicDiscovery) lines.push('  discovery: /ServiceProviderConfig, /ResourceTypes and /Schemas answer without a credential');
  if (flags.store !== undefined && flags.store !== 'memory') lines.push(`  store: PostgreSQL at ${shownStore(flags.store)}   (kept across restarts, shared by every instance on it)`);
  if (seeded === 'kept') lines.push(`  seeded: not again from ${flags.seed}: the store holds users or groups already`);
  else if (seeded) lines.push(`  seeded: ${plural(seeded.users, 'user')}, ${plural(seeded.groups, 'group')} from ${flags.seed}`);
  if (faults) lines.push(`  faults: ${plural(faults.rules, 'rule')} from ${faults.file} (answers fail on purpose; see x-scimulator-fault)`);
  if (admin) lines.push(`  admin: faults at ${admin.url}, invites at ${admin.invitesUrl}, key rotation at ${admin.tokenUrl}, clock at ${admin.clockUrl}, Authorization: Bearer ${mask(admin.token)}   (from ${admin.source}, shown masked)`);
  if (flags.log) lines.push(`  log: one ${flags.log === 'json' ? 'JSON line' : 'line'} per request, below (no header, body or credential)`);
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}
