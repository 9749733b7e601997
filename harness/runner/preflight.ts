import { getKey, isObject } from '../../scim/schema/keys.js';
import { listsSchema, URN } from '../../scim/schema/urns.js';
import { RequestFailedError, TargetUnreachableError, type ClientResponse, type Credentials, type OutgoingRequest, type ScimClient } from '../http/client.js';
import type { Transcript } from '../http/transcript.js';
import type { Exchange } from '../result.js';
import { RunAbort } from './errors.js';

/** Where SCIM servers are usually mounted: the base path tried, and suggested, when the target's looks wrong. */
const USUAL_BASE = '/scim/v2';

/** What to check for each kind of credentials, by the flag that gave them. */
const GIVEN_WITH: Record<Exclude<Credentials['kind'], 'none'>, string> = {
  bearer: 'the token given with --token (or SCIMULATOR_TOKEN)',
  basic: 'the user and password given with --basic',
  header: 'the header given with --auth-header',
};

/**
 * Checks, before the first scenario, that the target speaks SCIM: GET /ServiceProviderConfig
 * answers a SCIM object (RFC 7644 §4) or, failing that, GET /Users?count=1 answers a ListResponse
 * (§3.4.2). Otherwise throws RunAbort (exit 3) saying what was seen and what to try, so that a
 * wrong --target, scheme or credential reads as one sentence instead of hundreds of failed
 * scenarios. Its requests are recorded in `transcript` as discovery. Answers the target's answer to
 * GET /ServiceProviderConfig, whatever it was, for discovery to read its features from: the run
 * asks for it once.
 */
export async function preflight(client: ScimClient, credentials: Credentials, transcript: Transcript): Promise<ClientResponse> {
  const get = (request: OutgoingRequest) => sendOrAbort(client, request, transcript);
  const answer = await get({ method: 'GET', path: '/ServiceProviderConfig' });
  const config = answer.exchange;
  if (config.response?.status === 200 && isScimObject(config)) return answer;
  const users = (await get({ method: 'GET', path: '/Users', query: [['count', 1]] })).exchange;
  if (users.response?.status === 200 && isListResponse(users)) return answer;

  const refusal = [config, users].find((e) => e.response?.status === 401 || e.response?.status === 403);
  if (refusal) {
    const seen = answered(refusal);
    throw new RunAbort(
      3,
      credentials.kind === 'none'
        ? `${seen}: the target wants credentials: give --token, --basic or --auth-header.`
        : `${seen}: the target refused ${GIVEN_WITH[credentials.kind]}. Check it, and that it is meant for this target.`,
    );
  }
  const alike = config.response?.status === users.response?.status && contentType(config) === contentType(users);
  const both = alike ? `${answered(config)}, and so did GET ${shown(users.request.url)}` : `${answered(config)}, and ${answered(users)}`;
  throw new RunAbort(3, `${both}: ${await advice(client, config, users, transcript)}`);
}

/** The answer, or RunAbort with a sentence for a request that got no answer at all. */
async function sendOrAbort(client: ScimClient, request: OutgoingRequest, transcript: Transcript): Promise<ClientResponse> {
  try {
    return await client.send(request, { transcript, kind: 'discovery', step: null });
  } catch (error) {
    if (!(error instanceof RequestFailedError)) throw error;
    throw new RunAbort(3, noAnswer(error, new URL(client.baseUrl)));
  }
}

function noAnswer(error: RequestFailedError, target: URL): string {
  const url = shown(error.exchange.request.url);
  switch (error.reason) {
    case 'refused':
      return `Cannot reach the target: nothing listens on ${target.hostname}:${target.port || defaultPort(target)} (GET ${url}: connection refused). Is the server running, and is --target right?`;
    case 'plain-http': {
      // The same port, now named: http:// alone would mean port 80.
      const http = new URL(target.href);
      const port = http.port || defaultPort(http);
      http.protocol = 'http:';
      http.port = port;
      return `The target speaks plain HTTP, not https: GET ${url} got a plain-HTTP answer to its TLS handshake (OpenSSL: "wrong version number"). Use ${targetFlag(http.href)}`;
    }
    case 'timeout':
      return `${error.message}: the target accepts connections but does not answer. Is --target right? If the server is only slow, raise --timeout (seconds).`;
    case 'deadline':
      return `${error.message}: the target accepts connections but does not finish its answer. Is --target right? If the server is only slow, raise --deadline (seconds).`;
    case 'too-large':
      return `${error.message}: is --target a SCIM server? If its answers are that large, raise --max-response-size.`;
    default:
      return error instanceof TargetUnreachableError
        ? `Cannot reach the target: ${error.message}. Is the server running, and is --target right?`
        : `The target did not answer: ${error.message}. Check --target.`;
  }
}

function defaultPort(url: URL): string {
  return url.protocol === 'https:' ? '443' : '80';
}

/** `--target URL`, as the user would type it. */
function targetFlag(url: string): string {
  return `--target ${shown(url).replace(/\/$/, '')}`;
}

/** A URL without any user:password part: messages never show a password. */
function shown(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.href;
}

function jsonOf(exchange: Exchange): unknown {
  return exchange.response?.body?.json;
}

/** An object with `schemas` (RFC 7643 §3): a /ServiceProviderConfig, or any SCIM resource or message. */
function isScimObject(exchange: Exchange): boolean {
  const json = jsonOf(exchange);
  return isObject(json) && Array.isArray(getKey(json, 'schemas'));
}

/** A ListResponse by its schema or, for a server that leaves `schemas` out, by its `Resources` or `totalResults`. */
function isListResponse(exchange: Exchange): boolean {
  const json = jsonOf(exchange);
  if (!isObject(json)) return false;
  return listsSchema(json, URN.listResponse) || Array.isArray(getKey(json, 'Resources')) || typeof getKey(json, 'totalResults') === 'number';
}

/** The media type, without parameters. */
function contentType(exchange: Exchange): string | undefined {
  return exchange.response?.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
}

/** `GET http://h/x answered 404 text/html`, with what else helps: where a redirect points, a SCIM error's detail. */
function answered(exchange: Exchange): string {
  const { status = 0, headers = {} } = exchange.response ?? {};
  const type = contentType(exchange);
  const json = jsonOf(exchange);
  const detail = isObject(json) ? getKey(json, 'detail') : undefined;
  // On one line, and short: the server's words, not a page of them.
  const said = typeof detail === 'string' ? detail.replace(/\s+/g, ' ').trim() : '';
  let seen = `GET ${shown(exchange.request.url)} answered ${status} ${type || 'with no Content-Type'}`;
  if (status >= 300 && status < 400 && headers.location) seen += ` redirecting to ${shown(headers.location)}`;
  else if (said !== '') seen += ` "${said.length > 200 ? `${said.slice(0, 200)}…` : said}"`;
  else if (status === 200 && json !== undefined) seen += ' that is not SCIM';
  return seen;
}

/** What to try: the base URL a redirect or a probe of the usual base path found, else the likeliest mistake. */
async function advice(client: ScimClient, config: Exchange, users: Exchange, transcript: Transcript): Promise<string> {
  const suffix = '/ServiceProviderConfig';
  const location = config.response?.headers.location;
  if (location && URL.canParse(location, config.request.url)) {
    const href = new URL(location, config.request.url).href;
    if (href.toLowerCase().endsWith(suffix.toLowerCase())) return `did you mean ${targetFlag(href.slice(0, -suffix.length))}?`;
  }
  const { origin, pathname } = new URL(client.baseUrl);
  const mounted = pathname.toLowerCase().endsWith(USUAL_BASE);
  // Below the target (the base path left off), or at the root of its origin (a wrong one given).
  const candidates = mounted ? [] : [...new Set([`${client.baseUrl}${USUAL_BASE}`, `${origin}${USUAL_BASE}`])];
  for (const candidate of candidates) {
    try {
      const probe = (await client.send({ method: 'GET', path: `${candidate}${suffix}` }, { transcript, kind: 'discovery', step: null })).exchange;
      if (probe.response?.status === 200 && isScimObject(probe)) {
        return `is the base path right? GET ${shown(probe.request.url)} answers SCIM: did you mean ${targetFlag(candidate)}?`;
      }
    } catch (error) {
      // A hint that cannot be had changes nothing: the advice below still holds.
      if (!(error instanceof RequestFailedError)) throw error;
    }
  }
  if ((config.response?.status ?? 0) >= 500 && (users.response?.status ?? 0) >= 500) {
    return 'the server fails before any scenario could run: its logs should say why.';
  }
  if (mounted) {
    return 'is --target a SCIM server? Give the base URL under which /ServiceProviderConfig and /Users answer SCIM JSON.';
  }
  return `is the base path right? SCIM servers are usually mounted at ${USUAL_BASE}, e.g. ${targetFlag(`${origin}${USUAL_BASE}`)}`;
}
