import { STATUS_CODES } from 'node:http';
import type { Answer, Reply } from './transport.js';

/*
 * Entra's provisioning logs (Entra ref §9): one record per object per cycle, shaped like Graph's
 * provisioningObjectSummary with the portal's names for action and status, the error codes of the
 * §9 table and Entra's reason texts. Texts with no real sample are marked synthesised here.
 */

export type Action = 'Create' | 'Update' | 'Delete' | 'Disable' | 'StagedDelete' | 'Other';
export type LogStatus = 'Success' | 'Failure' | 'Skipped' | 'Warning';
export type StepType = 'Import' | 'Scoping' | 'Matching' | 'Processing' | 'ReferenceResolution' | 'Export';

/** A provisioningStep (Entra ref §5.4). */
export interface ProvisioningStep {
  name: string;
  provisioningStepType: StepType;
  status: LogStatus;
  description: string;
  details?: Record<string, string>;
  /** The event name is inferred, not seen in real logs (`EntryExportUpdate`, `EntryExportDelete`; Entra ref §5.4, §12). */
  synthesised?: true;
}

export interface ModifiedProperty {
  displayName: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface Identity {
  id: string | null;
  displayName: string;
  identityType: 'User' | 'Group';
}

/** The record of one object in one cycle, as docs/entra.md describes it. */
export interface LogRecord {
  cycleId: string;
  activityDateTime: string;
  /** `System` for the job's cycles, `OnDemand` for provision-on-demand (Entra ref §5.9). */
  initiatedBy: 'System' | 'OnDemand';
  user?: string;
  group?: string;
  action: Action;
  status: LogStatus;
  steps: ProvisioningStep[];
  modifiedProperties: ModifiedProperty[];
  errorCode?: string;
  errorCategory?: 'Failure' | 'NonServiceFailure';
  reason?: string;
  sourceIdentity: Identity;
  targetIdentity: Identity;
  sourceSystem: 'Azure Active Directory';
  targetSystem: 'customappsso';
  /** Attributes Entra exported before and finds different again: the target dropped or rewrote them (Entra ref §6.3 "Steady state"). */
  nonConverging?: string[];
  [more: string]: unknown;
}

/** .NET's `HttpStatusCode` names, as `StatusCode:` shows them in reasons (Entra ref §9). */
const STATUS_NAMES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  408: 'RequestTimeout',
  409: 'Conflict',
  412: 'PreconditionFailed',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableEntity',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  501: 'NotImplemented',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

export function statusName(status: number): string {
  return STATUS_NAMES[status] ?? String(status);
}

/** What Entra was doing when an object failed: the verb of "Failed to … User" and the export event. */
export type Phase = 'match' | 'create' | 'update' | 'delete';

const EVENT_NAMES: Record<Exclude<Phase, 'match'>, string> = { create: 'EntryExportAdd', update: 'EntryExportUpdate', delete: 'EntryExportDelete' };

export function exportEventName(phase: Exclude<Phase, 'match'>): string {
  return EVENT_NAMES[phase];
}

/**
 * The §9 error code for an HTTP failure: 400 on a create is `…BadRequest` (1Password sample), on
 * anything else `…ServiceIncompatible` (Q&A sample); the rest follow the LOG-ERRORS table.
 */
export function errorCodeFor(status: number, phase: Phase): string {
  if (status === 400) return phase === 'create' ? 'SystemForCrossDomainIdentityManagementBadRequest' : 'SystemForCrossDomainIdentityManagementServiceIncompatible';
  if (status === 401) return 'SystemForCrossDomainIdentityManagementCredentialValidationFailure';
  if (status === 403) return 'InsufficientRights';
  if (status === 404) return 'InvalidAnchor';
  if (status === 405) return 'MethodNotAllowed';
  if (status === 409) return 'EntryConflict';
  if (status === 422) return 'UnprocessableEntity';
  if (status === 429) return 'TooManyRequests';
  if (status === 501) return 'NotImplemented';
  if (status >= 500) return 'InternalServerError';
  return 'SystemForCrossDomainIdentityManagementServiceIncompatible';
}

/** `2019-10-30T15:13:17.6715300Z`: .NET's round-trip format, seven fractional digits (Entra ref §9). */
export function dotnetTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** The retry sentence every failure ends with (Entra ref §5.5, §9). */
export function retrySentence(retried: number, nextRetry: string): string {
  return `This operation was retried ${retried} times. It will be retried again after this date: ${dotnetTime(nextRetry)} UTC`;
}

const INCOMPATIBLE =
  'The SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client. Please refer to the Azure Active Directory SCIM provisioning documentation and adapt the SCIM endpoint to be able to process provisioning requests from Azure Active Directory.';
const HTTP_EXCEPTION = "Processing of the HTTP request resulted in an exception. Please see the HTTP response returned by the 'Response' property of this exception for details.";
/** Verbatim from a real log (Budibase#15369): a resource Entra cannot read, such as a bare-string manager (Entra ref §4). */
const CANNOT_DESERIALIZE =
  'We are not able to deserialize the resource received from your SCIM endpoint because your SCIM endpoint is not fully compatible with the Azure Active Directory SCIM client.';

export interface Subject {
  type: 'User' | 'Group';
  /** The UPN or the group's displayName, as the texts quote it. */
  display: string;
}

/** `Failed to create User 'x' in customappsso` or `Failed to match an entry in the source and target systems User 'x'` (Entra ref §4, §9). */
function failedTo(phase: Phase, subject: Subject): string {
  return phase === 'match'
    ? `Failed to match an entry in the source and target systems ${subject.type} '${subject.display}'`
    : `Failed to ${phase} ${subject.type} '${subject.display}' in customappsso`;
}

export interface Retry {
  retried: number;
  nextRetry: string;
}

/** The reason for an HTTP error answer, the target's body after `Web Response:` (Entra ref §9, both samples). */
export function httpFailureReason(phase: Phase, subject: Subject, answer: Answer, code: string, retry: Retry): string {
  const lines = [
    `${failedTo(phase, subject)}; Error: ${INCOMPATIBLE}`,
    `StatusCode: ${statusName(answer.status)}`,
    `Message: ${HTTP_EXCEPTION}`,
    `Web Response: ${answer.text.trim()}. ${retrySentence(retry.retried, retry.nextRetry)}`,
    `ErrorCode: ${code}${phase === 'match' ? '' : `   EventName: ${exportEventName(phase)}`}`,
  ];
  return lines.join('\n');
}

/** A failure without an HTTP error: no answer, an unreadable answer, a duplicate match (synthesised wording after §9's format). */
export function failureReason(phase: Phase, subject: Subject, error: string, retry: Retry): string {
  return `${failedTo(phase, subject)}; Error: ${error}\n${retrySentence(retry.retried, retry.nextRetry)}`;
}

export const errors = {
  cannotDeserialize: CANNOT_DESERIALIZE,
  noAnswer: (reply: Extract<Reply, { error: string }>) => `The SCIM endpoint did not answer: ${reply.error}.`,
  /** Synthesised: LOG-ERRORS says only "matching query returned >1 object". */
  duplicates: (filter: string, count: number) => `${count} entries in customappsso match ${filter}; the matching attribute must be unique in the target.`,
  /** Synthesised from LOG-ERRORS InvalidAnchor. */
  invalidAnchor: (id: string) => `The entry '${id}' that was created or matched earlier no longer exists in customappsso. Restart provisioning to match it again.`,
  /** Synthesised from LOG-ERRORS MultipleEntriesInResponse. */
  membersReturned: 'The group was read with excludedAttributes=members, but the answer carries members.',
  noId: 'The answer has no id, which Entra caches as the anchor for every later request.',
};

/** Skip reasons: the code and the sentence (RedundantExport verbatim from Graph; the rest synthesised). */
export const skips = {
  redundant: (type: 'user' | 'group') => ({ errorCode: 'RedundantExport', reason: `The state of the ${type} in both the source and target systems already match.` }),
  notEntitled: {
    errorCode: 'NotEffectivelyEntitled',
    reason: 'The user is not effectively entitled to the app (unassigned, out of the scoping filter, disabled or deleted), and no mapping makes Entra disable it.',
  },
  disabledNeverCreated: {
    errorCode: 'NotEffectivelyEntitled',
    reason: 'Provisioning a disabled or deleted user is not supported; the user must be active before it is provisioned.',
  },
  outOfScope: { errorCode: 'EntrySynchronizationSkipped', reason: 'The user is out of the provisioning scope.' },
  groupOutOfScope: { errorCode: 'EntrySynchronizationSkipped', reason: 'The group is out of the provisioning scope.' },
  skipOutOfScopeDeletions: { errorCode: 'EntrySynchronizationSkipped', reason: 'The user left the provisioning scope; SkipOutOfScopeDeletions is set, so it is not disabled.' },
  matchingValueMissing: (attribute: string) => ({
    errorCode: 'ImportSkipped',
    reason: `The user has no value for the matching attribute ${attribute}. This value must be present on the user or group.`,
  }),
  actionOff: (action: 'create' | 'update' | 'delete') => ({ errorCode: 'EntrySynchronizationSkipped', reason: `${action[0]!.toUpperCase()}${action.slice(1)} is not among the job's target object actions.` }),
  staged: { errorCode: 'TooManyDeletes', reason: 'The number of deletions in this cycle is above the accidental-deletion threshold; the deletion is held back until it is allowed.' },
};

/** The steps and modified properties of one object in one cycle, then its record. */
export class LogEntry {
  readonly steps: ProvisioningStep[] = [];
  readonly modified: ModifiedProperty[] = [];
  targetId: string | null = null;

  constructor(
    readonly subject: Subject & { name: string; objectId: string },
    private readonly cycleId: string,
    private readonly initiatedBy: LogRecord['initiatedBy'],
  ) {}

  step(name: string, type: StepType, status: LogStatus, description: string, details?: Record<string, string>, synthesised = false): void {
    this.steps.push({ name, provisioningStepType: type, status, description, ...(details && { details }), ...(synthesised && { synthesised: true }) });
  }

  modify(displayName: string, oldValue: unknown, newValue: unknown): void {
    const text = (v: unknown) => (v === undefined || v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
    this.modified.push({ displayName, oldValue: text(oldValue), newValue: text(newValue) });
  }

  record(time: string, action: Action, status: LogStatus, extra: Partial<LogRecord> = {}): LogRecord {
    const { subject } = this;
    const key = subject.type === 'User' ? 'user' : 'group';
    return {
      cycleId: this.cycleId,
      activityDateTime: time,
      initiatedBy: this.initiatedBy,
      [key]: subject.name,
      action,
      status,
      steps: this.steps,
      modifiedProperties: this.modified,
      ...extra,
      sourceIdentity: { id: subject.objectId, displayName: subject.display, identityType: subject.type },
      targetIdentity: { id: this.targetId, displayName: subject.display, identityType: subject.type },
      sourceSystem: 'Azure Active Directory',
      targetSystem: 'customappsso',
    };
  }
}

/** Verbatim from a real quarantined job (snipe-it#11913): the probe or `/Groups` answered 404 (Entra ref §3, §10.16). */
export const PROBE_NOT_FOUND =
  'An HTTP/404 Not Found response was returned rather than the expected HTTP/200 OK response. To address this issue, ensure that the tenant URL is correct. The tenant URL is usually in a format like: https://<>/scim. If this does not resolve the issue, contact the application developer to ensure their SCIM endpoint conforms with the protocol https://tools.ietf.org/html/rfc7644#section-3.4.2';

/** Any other error status on the probe, worded as PROBE_NOT_FOUND (synthesised; Entra ref §3, §5.6). */
export function probeUnexpected(status: number): string {
  return `An HTTP/${status} ${STATUS_CODES[status] ?? 'Error'} response was returned rather than the expected HTTP/200 OK response. Entra checks the SCIM endpoint with this query before it provisions anything, and quarantines the job while the query fails.`;
}

/** A probe answered with resources (synthesised; Entra ref §3 expects an empty ListResponse, §6.1 says what ignoring the filter leads to). */
export function probeNotEmpty(size: number): string {
  return `The query for an object that cannot exist, a random GUID, returned ${size} ${size === 1 ? "resource" : "resources"} rather than the expected empty ListResponse; the SCIM endpoint does not apply the filter, and Entra would create duplicates.`;
}

/**
 * Test Connection's notifications (Entra ref §3). The success text is Microsoft's (the
 * cross-tenant synchronization tutorial and vendors' setup guides quote it); the failure headline
 * is the one GitLab's SCIM troubleshooting and Microsoft's cross-tenant synchronization
 * troubleshooting quote, whatever the cause, followed there by "Error code:" and "Details:" lines.
 */
export const TEST_CONNECTION = {
  success: 'The supplied credentials are authorized to enable provisioning',
  failure: 'You appear to have entered invalid credentials. Please confirm you are using the correct information for an administrative account.',
};
