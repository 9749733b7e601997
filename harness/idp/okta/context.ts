import { getKey, isObject, type JsonObject } from '../../../scim/schema/keys.js';
import type { VirtualClock } from '../clock.js';
import type { StepRun } from '../types.js';
import type { OktaOrg } from './directory.js';
import type { PasswordGenerator } from './ids.js';
import { parseJson, remoteError, type EventType, type Reply } from './messages.js';
import type { OktaSettings } from './settings.js';
import { Task } from './transport.js';
import type { WireRequest } from './wire.js';

/** What a task is about: its System Log event type, and the user or group by directory name. */
export interface TaskSubject {
  /** None for Test API Credentials: a dialog in the console, not a System Log event (Okta ref §3). */
  eventType?: EventType;
  /** A check the admin starts from the console, answered in a dialog. */
  check?: 'test-api-credentials';
  user?: string;
  group?: string;
}

/** An Okta task result, as the admin sees it in the System Log and the task list (docs/okta.md). */
export interface TaskRecord extends TaskSubject {
  status: 'success' | 'failure';
  /** On failure, the admin message (Okta ref §12). */
  message?: string;
  [detail: string]: unknown;
}

/** Ends a task: the words to put into the admin message (`Error while creating user …: <remote>`). */
export class TaskFailed extends Error {}

/** Everything the flows work with: the org, its settings and clock, and the step being run. */
export class OktaContext {
  /** The step being performed; set by the simulator before each event. */
  run!: StepRun;

  constructor(
    readonly settings: OktaSettings,
    readonly org: OktaOrg,
    readonly clock: VirtualClock,
    readonly passwords: PasswordGenerator,
  ) {}

  task(): Task {
    return new Task(this.run, this.clock, this.settings);
  }

  /** Reports a task's end, with its attempts and waits when a 429 made it wait (Okta ref §11). */
  report(task: Task, record: TaskRecord): void {
    const retried = task.attempts > 1 ? { attempts: task.attempts, waits: [...task.waits] } : {};
    this.run.report({ idp: 'okta', kind: 'task', virtualTime: this.clock.iso(), record: { ...record, ...retried } });
  }

  /**
   * Runs a task's requests; a TaskFailed ends it as a failure with `wrap(reason)` as the message,
   * logged as `failedAs` when Okta logs the failure under another event type.
   */
  async perform(
    task: Task,
    subject: TaskSubject & { failedAs?: EventType },
    wrap: (reason: string) => string,
    work: () => Promise<Record<string, unknown> | void>,
  ): Promise<boolean> {
    const { failedAs, ...reported } = subject;
    try {
      const details = await work();
      this.report(task, { ...reported, status: 'success', ...details });
      return true;
    } catch (error) {
      if (!(error instanceof TaskFailed)) throw error;
      this.report(task, { ...reported, ...(failedAs !== undefined && { eventType: failedAs }), status: 'failure', message: wrap(error.message) });
      return false;
    }
  }
}

export function succeeded(reply: Reply): reply is Extract<Reply, { status: number }> {
  return 'status' in reply && reply.status >= 200 && reply.status < 300;
}

/** Sends; anything but a 2xx ends the task, `describe` turning the remote error into Okta's words. */
export async function sendOk(task: Task, request: WireRequest, describe: (remote: string) => string): Promise<Extract<Reply, { status: number }>> {
  const reply = await task.send(request);
  if (!succeeded(reply)) throw new TaskFailed(describe(remoteError(reply)));
  return reply;
}

/** The answer's JSON object, or undefined when it is empty, not JSON, or not an object. */
export function objectOf(reply: Extract<Reply, { status: number }>): JsonObject | undefined {
  if (reply.text.trim() === '') return undefined;
  const parsed = parseJson(reply.text);
  return 'json' in parsed && isObject(parsed.json) ? parsed.json : undefined;
}

/** A 2xx answer's JSON object; a body Jackson cannot read ends the task with its parse error (Okta ref §2.4, §12). */
function readObject(reply: Extract<Reply, { status: number }>, describe: (remote: string) => string): JsonObject | undefined {
  if (reply.text.trim() === '') return undefined;
  const parsed = parseJson(reply.text);
  if ('invalid' in parsed) throw new TaskFailed(describe(`Invalid JSON: ${parsed.invalid}`));
  return isObject(parsed.json) ? parsed.json : undefined;
}

/** The target's resource from a GET, for a read-modify-write; anything else ends the task. */
export async function readResource(task: Task, request: WireRequest, describe: (remote: string) => string): Promise<JsonObject> {
  const resource = readObject(await sendOk(task, request, describe), describe);
  if (resource) return resource;
  throw new TaskFailed(describe('the answer is not a SCIM resource'));
}

/**
 * A lookup's ListResponse (Okta ref §4.1, §10.1): undefined for a 404, which is a miss too; any
 * other error ends the task, and so does a 2xx body that is not JSON, such as a proxy's HTML page
 * (Okta reads it with Jackson, §2.4).
 */
export async function lookup(task: Task, request: WireRequest, describe: (remote: string) => string): Promise<JsonObject | undefined> {
  const reply = await task.send(request);
  if ('status' in reply && reply.status === 404) return undefined;
  if (!succeeded(reply)) throw new TaskFailed(describe(remoteError(reply)));
  return readObject(reply, describe);
}

/** A ListResponse as Okta reads it; lower-case keys only with `listKeysIgnoreCase` (Okta ref §2.4). */
export interface ListPage {
  resources: unknown[];
  totalResults?: number;
  itemsPerPage?: number;
}

export function listOf(body: JsonObject, ignoreCase: boolean): ListPage {
  const read = (name: string) => (ignoreCase ? getKey(body, name) : Object.hasOwn(body, name) ? body[name] : undefined);
  const integer = (value: unknown) => (Number.isSafeInteger(value) ? (value as number) : undefined);
  const resources = read('Resources');
  return {
    resources: Array.isArray(resources) ? resources : [],
    ...(integer(read('totalResults')) !== undefined && { totalResults: integer(read('totalResults')) }),
    ...(integer(read('itemsPerPage')) !== undefined && { itemsPerPage: integer(read('itemsPerPage')) }),
  };
}

/** The first resource a lookup found, if it has an id; undefined for a miss (Okta ref §4.1: the first result wins). */
export function firstMatch(page: ListPage): JsonObject | undefined {
  const first = page.resources[0];
  return isObject(first) && typeof getKey(first, 'id') === 'string' ? first : undefined;
}
