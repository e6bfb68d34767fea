/**
 * User repositories (the local user database, LDAP directories, Entra ID) behind one small interface,
 * so assisted login finds users and approvers the same way wherever they live.
 */

/** A group a person is in: its name (an LDAP group's CN, an Entra group's display name, a local group) and its reference. */
export interface DirectoryGroup {
  name: string;
  /** The group's DN (LDAP), object id (Entra) or name (local database). */
  ref: string;
}

/** One person as a repository returned them. */
export interface DirectoryPerson {
  /** The repository they were found in, e.g. "local", "ldap:corp", "entra:contoso". */
  repository: string;
  /** Stable within the repository: the DN (LDAP), the object id (Entra), the username (local). */
  ref: string;
  /**
   * Attribute values by lower-cased attribute name: at least the ones the repository was asked for
   * (approver id attributes, the notification attribute), where the person has them.
   */
  attributes: Record<string, string[]>;
  displayName: string;
  /** The phone number as stored (not yet normalised), or null. */
  phone: string | null;
  groups: DirectoryGroup[];
  /** The manager's `ref` in the same repository, or null. */
  managerRef: string | null;
}

export interface Directory {
  /** As in DirectoryPerson.repository. */
  readonly name: string;
  /** The user the calling application named: by the repository's own user rule (an LDAP profile's user filter). */
  findUser(id: string): Promise<DirectoryPerson | null>;
  /** The person whose phone attribute holds this number (E.164). */
  findByPhone(msisdn: string): Promise<DirectoryPerson | null>;
  /** The person any of these attributes names (an approver id the user typed). */
  findByAttributes(id: string, attributes: readonly string[]): Promise<DirectoryPerson | null>;
  /** The person with this ref (a manager). */
  findByRef(ref: string): Promise<DirectoryPerson | null>;
  /** Up to `limit` members (transitively where the repository knows it) of the group with this name. */
  membersOf(groupName: string, limit: number): Promise<DirectoryPerson[]>;
  /** Ends the connection, if the repository holds one (LDAP). */
  close(): Promise<void>;
}

/**
 * The repository could not be asked: unreachable, timed out, refused the bind or the credentials,
 * throttled. `message` is for the log and the admin's Test button (never a secret); the API answers
 * 503 DIRECTORY_UNAVAILABLE.
 */
export class DirectoryUnavailableError extends Error {
  constructor(
    readonly repository: string,
    message: string,
    /** From the repository's own Retry-After, when it gave one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'DirectoryUnavailableError';
  }
}
