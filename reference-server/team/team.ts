import { brief } from '../../scim/coerce.js';
import { ScimError } from '../../scim/errors.js';
import type { Team as TeamSettings, TeamAccount } from '../../scim/profile/fields.js';
import { getKey, setKey } from '../../scim/schema/keys.js';
import { nextMeta, versionOf } from '../resources/meta.js';
import type { Resource, Store } from '../store/types.js';

/*
 * The team a multi-tenant service's SCIM key provisions (a profile's `team`, Postman ref §4.1):
 * accounts the service has outside the team, the invites a POST for one of them sends, and what a
 * team admin does with those invites. Also whether SCIM is turned on for the team (Postman ref §5).
 */

/** An invite waiting for its invitee, as the admin sees it. */
export interface PendingInvite {
  /** The id the inviting POST answered with; the member keeps it once the invite is accepted. */
  id: string;
  userName: string;
  invitedAt: string;
}

/** What a team admin does with pending invites: `server.invites` and the admin API's /_scimulator/invites. */
export interface InviteControl {
  /** The pending invites, oldest first. */
  list(): PendingInvite[];
  /** The invitee accepts: the account joins the team as an active member, with the invite's id. `key` is the id or the email. */
  accept(key: string): Promise<Resource>;
  /** The admin deletes the invite: the next POST for the account invites it again. `key` is the id or the email. */
  delete(key: string): Promise<void>;
}

/** Whether SCIM is on for the team: off, every /Users and /Groups request answers 403. */
export interface TeamControl {
  scimEnabled: boolean;
}

const lower = (text: string) => text.toLowerCase();

/** The domain of an email address, lower-cased; undefined without an `@`. */
function domainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  return at === -1 ? undefined : lower(email.slice(at + 1));
}

export class Team implements InviteControl, TeamControl {
  scimEnabled: boolean;
  /** By id, in the order they were sent. */
  private readonly pending = new Map<string, { invite: PendingInvite; resource: Resource }>();

  constructor(
    private readonly settings: TeamSettings,
    private readonly store: Store,
    private readonly now: () => Date,
  ) {
    this.scimEnabled = settings.scimEnabled;
  }

  /**
   * What a POST /Users for `userName` becomes: a `member` (created in the team) or an `invite`.
   * Throws the conflicts of Postman ref §4.1: an invite pending for the address, or an account of
   * another team outside the verified domains. A member already there is left to the store's 409.
   */
  async admit(userName: unknown): Promise<'member' | 'invite'> {
    if (typeof userName !== 'string' || (this.settings.accounts.length === 0 && this.pending.size === 0)) return 'member';
    if (this.find(userName)) {
      throw new ScimError(
        this.settings.invites.pendingStatus,
        'uniqueness',
        `An invite to ${brief(userName)} is pending: the account joins when the invite is accepted; until then, or until a team admin deletes the invite, it cannot be provisioned`,
      );
    }
    if ((await this.store.findBy('User', 'userName', userName)).length > 0) return 'member';
    const account = this.account(userName);
    if (!account || this.verified(userName)) return 'member';
    if (account.otherTeam) throw ScimError.conflict(`${brief(userName)} belongs to another team, and this team has not verified its domain`);
    return 'invite';
  }

  /**
   * Sends an invite for `resource`, a User as the POST would have created it. Unlisted, it is kept
   * aside until accepted; listed, it is stored as an inactive user. Returns what the POST shows.
   */
  async invite(resource: Resource): Promise<Resource> {
    const id = resource.id as string;
    const invite: PendingInvite = { id, userName: String(getKey(resource, 'userName')), invitedAt: this.now().toISOString() };
    this.pending.set(id, { invite, resource });
    if (!this.settings.invites.listed) return resource;
    const inactive = { ...resource };
    setKey(inactive, 'active', false);
    return this.store.create('User', inactive);
  }

  /** The status a POST that made `id` answers: the invite's status, or 201 for a member. */
  createdStatus(id: string): number {
    return this.pending.has(id) ? this.settings.invites.status : 201;
  }

  /** Refuses a change of userName to an address outside the verified domains, when the profile says so (Postman ref §4.2). */
  checkUserNameChange(before: unknown, after: unknown): void {
    if (this.settings.userNameChange === 'any' || typeof after !== 'string' || after === before || this.verified(after)) return;
    const domains = this.settings.verifiedDomains.join(', ') || 'none';
    throw ScimError.badRequest('mutability', `userName may change only to an address in a domain the team verified (${domains}), not "${brief(after)}"`);
  }

  list(): PendingInvite[] {
    return [...this.pending.values()].map(({ invite }) => ({ ...invite }));
  }

  async accept(key: string): Promise<Resource> {
    const { invite, resource } = this.take(key);
    const stored = this.settings.invites.listed ? await this.store.get('User', invite.id) : undefined;
    if (stored) {
      const joined = { ...stored, meta: nextMeta(stored, 'User', this.now()) };
      setKey(joined, 'active', true);
      return this.store.replace('User', invite.id, joined, versionOf(stored));
    }
    // A version past the inviting POST's: its answer, which lacks what the acceptance sets, is cached under that version.
    const member = { ...resource, meta: nextMeta(resource, 'User', this.now()) };
    setKey(member, 'active', true);
    return this.store.create('User', member);
  }

  async delete(key: string): Promise<void> {
    const { invite } = this.take(key);
    if (this.settings.invites.listed && (await this.store.view('User', invite.id))) await this.store.delete('User', invite.id);
  }

  private take(key: string): { invite: PendingInvite; resource: Resource } {
    const found = this.pending.get(key) ?? this.find(key);
    if (!found) throw ScimError.notFound(`No invite is pending for "${brief(key)}": GET /_scimulator/invites lists them`);
    this.pending.delete(found.invite.id);
    return found;
  }

  private find(email: string): { invite: PendingInvite; resource: Resource } | undefined {
    for (const entry of this.pending.values()) if (lower(entry.invite.userName) === lower(email)) return entry;
    return undefined;
  }

  private account(email: string): TeamAccount | undefined {
    return this.settings.accounts.find((account) => lower(account.email) === lower(email));
  }

  private verified(email: string): boolean {
    const domain = domainOf(email);
    return domain !== undefined && this.settings.verifiedDomains.some((verified) => lower(verified) === domain);
  }
}
