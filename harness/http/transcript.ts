import { getKey, isObject } from '../../scim/schema/keys.js';
import type { BodyRecord, Exchange, ExchangeKind } from '../result.js';
import { sentPasswords, type Redactor } from './redact.js';

/** An exchange as it happened, before redaction and capping: only `Transcript.record` turns it into an `Exchange`. */
export interface RawExchange {
  step: number | null;
  kind: ExchangeKind;
  /** Who sent it: an IdP's name; the harness when absent. */
  by?: string;
  virtualTime?: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  /** `json`: the body as `parseJsonBody` reads it, when the caller has parsed it already. */
  response?: { status: number; headers: Record<string, string>; body?: string; json?: unknown };
  error?: string;
  /** The response's `x-scimulator-fault` header, also when its body then failed. */
  fault?: string;
  startedAt: string;
  durationMs: number;
}

/**
 * Asked at each exchange recorded: the fault a target injected since it was last asked, when the
 * harness can know it without a header (the embedded reference server's counts); the transcript
 * names it on a request that failed without an answer (a reset, a hang).
 */
export type InjectedSince = () => string | undefined;

/** How bodies are recorded: the run's redactor and the cap in bytes. */
export interface Recording {
  redactor: Redactor;
  bodyCap: number;
}

/** `application/json`, `application/scim+json` and any other `…+json`, with or without parameters. */
function isJsonContentType(contentType: string): boolean {
  return /^[\w.-]+\/(?:[\w.-]+\+)?json\s*(?:;|$)/i.test(contentType.trim());
}

/**
 * The body as JSON, or undefined when it is not JSON. A body without a Content-Type is tried too:
 * whether the header is right is for a header check to say, not for every body check to repeat.
 */
export function parseJsonBody(text: string, contentType: string | undefined): unknown {
  if (text.trim() === '' || (contentType !== undefined && !isJsonContentType(contentType))) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function contentTypeOf(headers: Record<string, string>): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-type');
  return key === undefined ? undefined : headers[key];
}

/** Cuts UTF-8 text at `cap` bytes without leaving half a character. */
function cutAt(text: string, cap: number): string {
  return new TextDecoder().decode(Buffer.from(text, 'utf8').subarray(0, cap), { stream: true });
}

/** A body as recorded: redacted first (so nothing secret survives in a cut), then capped. */
function bodyRecord(text: string, contentType: string | undefined, { redactor, bodyCap }: Recording, parsed?: unknown): BodyRecord {
  const bytes = Buffer.byteLength(text, 'utf8');
  const json = parsed ?? parseJsonBody(text, contentType);
  if (json !== undefined) {
    const redacted = redactor.json(json);
    if (bytes <= bodyCap) return { json: redacted, bytes };
    return { text: cutAt(JSON.stringify(redacted), bodyCap), truncated: true, bytes };
  }
  const redacted = redactor.bodyText(text);
  if (Buffer.byteLength(redacted, 'utf8') <= bodyCap) return { text: redacted, bytes };
  return { text: cutAt(redacted, bodyCap), truncated: true, bytes };
}

/**
 * The exchanges of one scenario, in order, each redacted as it is recorded. A password a request
 * sends (the harness's or an IdP's) is a secret from that exchange on — its own answer included —
 * since a target may echo it where no redaction by key finds it: a `detail`, an HTML page, a header.
 * Kept per transcript, so per scenario: nothing is shared between concurrent scenarios. A target
 * that tells one scenario's password in another scenario's answer is beyond this scope.
 */
export class Transcript {
  private readonly list: Exchange[] = [];
  private readonly passwords = new Set<string>();

  constructor(private readonly injectedSince?: InjectedSince) {}

  /** A copy: the transcript only grows through `record`. */
  get exchanges(): Exchange[] {
    return [...this.list];
  }

  /** The passwords the recorded requests have sent, for the scenario to scrub its result of (its checks, causes, step names). */
  get sentPasswords(): string[] {
    return [...this.passwords];
  }

  record(raw: RawExchange, { redactor: base, bodyCap }: Recording): Exchange {
    for (const password of sentPasswords(raw.request.body)) this.passwords.add(password);
    const redactor = base.withSecrets([...this.passwords]);
    const recording = { redactor, bodyCap };
    const { request, response } = raw;
    // Asked every time, so that a fault is never put on a later exchange than its own.
    const injected = this.injectedSince?.();
    const fault = raw.fault ?? (raw.error !== undefined ? injected : undefined);
    const exchange: Exchange = {
      seq: this.list.length + 1,
      step: raw.step,
      kind: raw.kind,
      by: raw.by ?? 'harness',
      request: {
        method: request.method,
        url: redactor.text(request.url),
        headers: redactor.headers(request.headers),
        ...(request.body !== undefined && request.body !== '' && { body: bodyRecord(request.body, contentTypeOf(request.headers), recording) }),
      },
      ...(response && {
        response: {
          status: response.status,
          headers: redactor.headers(response.headers),
          ...(response.body !== undefined && response.body !== '' && { body: bodyRecord(response.body, contentTypeOf(response.headers), recording, response.json) }),
        },
      }),
      ...(raw.error !== undefined && { error: redactor.text(raw.error) }),
      ...(fault !== undefined && { fault: redactor.text(fault) }),
      startedAt: raw.startedAt,
      durationMs: raw.durationMs,
      ...(raw.virtualTime !== undefined && { virtualTime: raw.virtualTime }),
    };
    this.list.push(exchange);
    return exchange;
  }
}

/** The collections a POST creates a resource in. */
export const RESOURCE_ENDPOINT = /\/(?:Users|Groups)\/?$/i;
const BULK_ENDPOINT = /\/Bulk\/?$/i;

/**
 * The URLs of the resources a response created, for the runner to delete after the scenario: a 201
 * to POST …/Users or …/Groups (its Location header, else `meta.location`, else the endpoint URL and
 * the `id`), and each 201 operation of a Bulk response. Relative locations are resolved against the
 * request URL.
 */
export function createdResources(exchange: Exchange): string[] {
  const { request, response } = exchange;
  if (!response || request.method.toUpperCase() !== 'POST') return [];
  const endpoint = request.url.split('?')[0] ?? request.url;
  const json = response.body?.json;
  // A location that is not a URL at all names nothing the runner could delete.
  const resolve = (location: string): string[] => (URL.canParse(location, endpoint) ? [new URL(location, endpoint).href] : []);

  if (RESOURCE_ENDPOINT.test(endpoint) && response.status === 201) {
    const header = response.headers['location'];
    if (header) return resolve(header);
    if (!isObject(json)) return [];
    const meta = getKey(json, 'meta');
    const metaLocation = isObject(meta) ? getKey(meta, 'location') : undefined;
    if (typeof metaLocation === 'string' && metaLocation !== '') return resolve(metaLocation);
    const id = getKey(json, 'id');
    return typeof id === 'string' && id !== '' ? [`${endpoint.replace(/\/$/, '')}/${encodeURIComponent(id)}`] : [];
  }

  if (BULK_ENDPOINT.test(endpoint) && isObject(json)) {
    const operations = getKey(json, 'Operations');
    if (!Array.isArray(operations)) return [];
    return operations.flatMap((operation) => {
      if (!isObject(operation)) return [];
      const method = getKey(operation, 'method');
      const location = getKey(operation, 'location');
      const created = String(getKey(operation, 'status')) === '201';
      return typeof method === 'string' && method.toUpperCase() === 'POST' && created && typeof location === 'string' && location !== ''
        ? resolve(location)
        : [];
    });
  }
  return [];
}
