import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, freshDatabase, postgresSkip } from '../support/postgres.js';
import { ERROR_SCHEMA } from '../../scim/errors.js';
import { fuzzRequest, Random, type FuzzRequest } from './fuzz-generator.js';
import { BASE, testServer, type Json, type Response, type TestServer } from './resource-helpers.js';

/**
 * Seeded fuzzing of the reference server through its HTTP stack: hostile requests of every kind
 * (fuzz-generator.ts) against a strict and a lenient server, each answered without a 5xx, every
 * 4xx a SCIM error (RFC 7644 §3.12), no prototype polluted, the server still answering, and the
 * bystanders — resources no request names — unchanged. A share of the requests are sent as raw
 * bytes over loopback, some mangled. SCIMULATOR_FUZZ_CASES sets how many (default 3000),
 * SCIMULATOR_FUZZ_SEED the seed; a failure names the seed and the case to replay.
 */

const CASES = Number(process.env.SCIMULATOR_FUZZ_CASES ?? 3000);
/** On the PostgreSQL store, a share of them: what reaches SQL (NUL characters, long keys, odd ids) is the store's own risk. */
const PG_CASES = Math.ceil(CASES / 3);
const SEED = Number(process.env.SCIMULATOR_FUZZ_SEED ?? 20);
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
/** Each test's time limit grows with the cases it runs (a few ms each; many more under load). */
const TIME_LIMIT = 20_000 + CASES * 20;

/** Where a failing case came from, to replay it. */
const origin = (i: number, request: FuzzRequest) => `seed ${SEED}, case ${i}: ${request.method} ${request.url.slice(0, 300)}`;

/**
 * No 5xx but the 501 RFC 7644 §3.11 gives for /Me; every 4xx (and that 501) a SCIM error.
 * `hasBody`: false for the answer to a HEAD, which has none.
 */
function checkAnswer(status: number, headers: Record<string, unknown>, body: string, hasBody: boolean, where: string): void {
  expect(status === 501 || status < 500, `${where} → ${status} ${body.slice(0, 300)}`).toBe(true);
  if (status < 400) return;
  if (status === 401) expect(headers['www-authenticate'], where).toBeDefined();
  if (!hasBody) return;
  expect(headers['content-type'], where).toBe('application/scim+json; charset=utf-8');
  const error = JSON.parse(body) as Json;
  expect(error.schemas, where).toEqual([ERROR_SCHEMA]);
  expect(error.status, where).toBe(String(status));
  expect(typeof error.detail, where).toBe('string');
}

interface Bystanders {
  read(): Promise<Json[]>;
  initial: Json[];
}

/** A user and a group (with the user as member) that no fuzzed request names, read back whole. */
async function bystanders(s: TestServer): Promise<Bystanders> {
  const user = await s.createUser('bystander@example.com', { name: { givenName: 'By', familyName: 'Stander' }, emails: [{ value: 'bystander@example.com', type: 'work', primary: true }], title: 'Bystander' });
  const group = await s.createGroup('Bystanders', [user.id]);
  const read = async () => [(await s.get(`/Users/${user.id}`)).json(), (await s.get(`/Groups/${group.id}`)).json()];
  return { read, initial: await read() };
}

async function fuzzInjected(s: TestServer, random: Random, cases: number, first: number): Promise<void> {
  const kept = await bystanders(s);
  const ids = { users: [] as string[], groups: [] as string[] };
  for (let i = first; i < first + cases; i++) {
    const request = fuzzRequest(random, BASE, ids);
    const res: Response = await s.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, payload: request.payload });
    checkAnswer(res.statusCode, res.headers, res.body, request.method !== 'HEAD', origin(i, request));
    if (res.statusCode === 201) {
      const created = res.json() as Json;
      const list = created.meta?.resourceType === 'Group' ? ids.groups : ids.users;
      list.push(created.id as string);
      if (list.length > 20) list.shift();
    }
    if (i % 250 === 0) expect(await kept.read(), origin(i, request)).toEqual(kept.initial);
  }
  expect(await kept.read()).toEqual(kept.initial);
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(({} as Json).polluted).toBeUndefined();
  expect((await s.get('/ServiceProviderConfig')).statusCode).toBe(200);
}

/** The request as HTTP/1.1 bytes, asking the server to close the connection after it. */
function rawBytes(request: FuzzRequest): Buffer {
  const body = request.payload === undefined ? Buffer.alloc(0) : Buffer.from(request.payload);
  const headers = { ...request.headers, connection: 'close', ...(body.length > 0 && { 'content-length': String(body.length) }) };
  const head = `${request.method} ${request.url} HTTP/1.1\r\n${Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('')}\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** A few bytes of `bytes` replaced, removed or doubled, most often in the request line and headers. */
function mangle(random: Random, bytes: Buffer): Buffer {
  let out = bytes;
  for (let n = 1 + random.int(3); n > 0; n--) {
    const at = random.int(Math.min(out.length, random.chance(0.8) ? 200 : out.length));
    const byte = Buffer.from([random.pick([0x00, 0x0a, 0x0d, 0x20, 0x3a, 0x22, 0x7f, 0xff, 0x41, 0x25])]);
    const kind = random.int(3);
    out = Buffer.concat([out.subarray(0, at), kind === 2 ? Buffer.alloc(0) : byte, out.subarray(kind === 1 ? at : at + 1)]);
  }
  return out;
}

/** Writes `bytes`, ends the client's side, and reads until the server closes. */
function exchange(port: number, bytes: Buffer): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received: Buffer[] = [];
    let error: string | undefined;
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => resolve({ text: Buffer.concat(received).toString('utf8'), error }));
    socket.on('connect', () => socket.end(bytes));
  });
}

/** The first response in `text`: status, headers, body (none when it is shorter than announced: a HEAD's). */
function firstResponse(text: string): { status: number; headers: Record<string, string>; body: string; hasBody: boolean } {
  const end = text.indexOf('\r\n\r\n');
  const [line = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  const length = Number(headers['content-length'] ?? 0);
  const rest = Buffer.from(text.slice(end + 4));
  return { status: Number(line.split(' ')[1]), headers, body: rest.subarray(0, length).toString('utf8'), hasBody: length > 0 && rest.length >= length };
}

describe(`fuzzing the reference server (seed ${SEED}, ${CASES} cases)`, () => {
  const share = Math.ceil(CASES * 0.45);
  const random = new Random(SEED);
  const raw = testServer();

  afterAll(() => raw.server.close());

  it('strict: no 5xx, a SCIM error for every 4xx, bystanders unchanged', async () => {
    await fuzzInjected(testServer(), random, share, 0);
  }, TIME_LIMIT);

  it('lenient: the same', async () => {
    await fuzzInjected(testServer({ profile: 'lenient' }), random, share, share);
  }, TIME_LIMIT);

  it('raw bytes over loopback, some mangled: the same, and every connection closed cleanly', async () => {
    const port = Number(new URL((await raw.server.listen()).url).port);
    const kept = await bystanders(raw);
    for (let i = 2 * share; i < CASES; i++) {
      const request = fuzzRequest(random, BASE, { users: [], groups: [] });
      const mangled = random.chance(0.6);
      const bytes = mangled ? mangle(random, rawBytes(request)) : rawBytes(request);
      const where = `${origin(i, request)}${mangled ? ' (mangled)' : ''}`;
      const { text, error } = await exchange(port, bytes);
      expect(error, where).toBeUndefined();
      // A request cut short by the client's end of stream may get no answer at all.
      if (text === '') continue;
      expect(text, where).toMatch(/^HTTP\/1\.1 \d{3} /);
      const answer = firstResponse(text);
      checkAnswer(answer.status, answer.headers, answer.body, answer.hasBody, where);
    }
    expect(await kept.read()).toEqual(kept.initial);
    expect((await raw.get('/ServiceProviderConfig')).statusCode).toBe(200);
  }, TIME_LIMIT);
});

describe.skipIf(postgresSkip)(`fuzzing the reference server on the PostgreSQL store (seed ${SEED}, ${PG_CASES} cases)`, () => {
  const random = new Random(SEED);
  const databases: string[] = [];
  afterAll(async () => {
    for (const url of databases) await dropDatabase(url);
  });

  it.each(['strict', 'lenient'])('%s: no 5xx, a SCIM error for every 4xx, bystanders unchanged', async (profile) => {
    const url = await freshDatabase(`fuzz_${profile}`);
    databases.push(url);
    const s = testServer({ profile, store: url });
    try {
      await fuzzInjected(s, random, Math.ceil(PG_CASES / 2), 0);
    } finally {
      await s.server.close();
    }
  }, TIME_LIMIT);
});
