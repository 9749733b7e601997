/*
 * What the provisioning job remembers between cycles (Entra ref §5): the links to target objects
 * (Entra's "connector data store", which a restart keeps, §5.7), the watermark, the escrows of
 * failed objects, deletions held back, and the job's status and quarantine (§5.1, §5.6).
 */

/** "approximately every 40 minutes", not configurable (Entra ref §1.1, §5.3). */
export const CYCLE_INTERVAL = 40 * 60_000;

/** What Entra knows of a user it provisioned or matched. */
export interface UserLink {
  /** The target's id, cached as the anchor of every later request (Entra ref §4). */
  id: string;
  /** Entra's view of the target's `active`. */
  active: boolean;
  /**
   * False once the user was disabled for leaving scope: "the service doesn't manage the user", so
   * a later hard delete sends no DELETE (Entra ref §6.5).
   */
  managed: boolean;
  /** The values Entra last exported, by target attribute: a value that differs again did not stick (§6.3). */
  exported: Map<string, string | boolean>;
}

export interface GroupLink {
  id: string;
  /** The members Entra added, by user name: it never reads them back (Entra ref §7.1, §10.10). */
  members: Set<string>;
  exported: Map<string, string | boolean>;
}

/** A failed object, retried in later cycles (Entra ref §5.5). */
export interface Escrow {
  /** Times it was retried so far: "This operation was retried N times" (§9). */
  retries: number;
  /** When it is retried, in ms on the virtual clock: by the first cycle that starts then or later. */
  due: number;
}

/** Graph's quarantineReason values the simulator reaches (Entra ref §5.6). */
export type QuarantineReason =
  | 'EncounteredBaseEscrowThreshold'
  | 'EncounteredTotalEscrowThreshold'
  | 'EncounteredEscrowProportionThreshold'
  | 'EncounteredQuarantineException'
  | 'TooManyDeletes';

/** What went wrong, as Graph's quarantine `error` has it; `synthesised` when the wording is the simulator's, not Entra's (Entra ref §3, §5.6). */
export interface JobError {
  code: string;
  message: string;
  synthesised?: true;
}

/** Graph's synchronizationQuarantine (Entra ref §5.1, §5.6). */
export interface Quarantine {
  reason: QuarantineReason;
  currentBegan: string;
  seriesBegan: string;
  /** Failed attempts in this series, the first failure included. */
  seriesCount: number;
  nextAttempt: string;
  error: JobError;
}

/** Graph's synchronizationStatus codes a configured job takes (Entra ref §5.1): `Paused` when stopped, disabled or waiting after pruned escrows. */
export type JobCode = 'NotRun' | 'Active' | 'Paused' | 'Quarantine';

export class JobState {
  code: JobCode = 'NotRun';
  quarantine: Quarantine | undefined;
  /** The initial cycle dropped its escrows instead of quarantining (Entra ref §5.6); cleared by the next cycle that completes without. */
  escrowsPruned = false;
  readonly users = new Map<string, UserLink>();
  readonly groups = new Map<string, GroupLink>();
  /** Every target path a name was provisioned as, kept after deletion so expect steps can read it back. */
  readonly targets = new Map<string, string>();
  /** The change number the last completed cycle covered; undefined until the initial cycle ends. */
  watermark: number | undefined;
  /** By `user:<name>` or `group:<name>`; reference (manager) failures by `manager:<name>`. */
  readonly escrows = new Map<string, Escrow>();
  /** Objects whose disable or delete the accidental-deletion threshold held back (Entra ref §5.8). */
  readonly staged = new Set<string>();
  /** Exports since the counts were last reset, for the escrow thresholds (Entra ref §5.6). */
  counts = { failures: 0, referenceFailures: 0, successes: 0 };
  /** Cycles run so far, numbering probe GUIDs and cycle ids. */
  cycles = 0;

  linkUser(name: string, id: string, active: boolean): UserLink {
    const link: UserLink = { id, active, managed: true, exported: new Map() };
    this.users.set(name, link);
    this.targets.set(name, `/Users/${encodeURIComponent(id)}`);
    return link;
  }

  linkGroup(name: string, id: string): GroupLink {
    const link: GroupLink = { id, members: new Set(), exported: new Map() };
    this.groups.set(name, link);
    this.targets.set(name, `/Groups/${encodeURIComponent(id)}`);
    return link;
  }

  resetCounts(): void {
    this.counts = { failures: 0, referenceFailures: 0, successes: 0 };
  }
}
