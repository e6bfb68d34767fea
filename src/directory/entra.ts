/**
 * Entra ID (Azure AD) as a user repository, over Microsoft Graph with an app registration's client
 * credentials. The app needs the application permissions User.Read.All and GroupMember.Read.All.
 */
import * as z from '../domain/zod';
import { sha256Hex } from '../security/crypto';
import { DirectoryUnavailableError, type Directory, type DirectoryGroup, type DirectoryPerson } from './directory';

export interface EntraProfile {
  name: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

const GRAPH = 'https://graph.microsoft.com/v1.0';
const TIMEOUT_MS = 5000;
const USER_SELECT = 'id,displayName,userPrincipalName,mail,mailNickname,onPremisesSamAccountName,mobilePhone';
/** Graph's largest page for directory objects. */
const MAX_TOP = 999;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Attribute names callers use (lower-cased) → the Graph user property holding them. */
const PROPERTY_BY_ATTRIBUTE: Record<string, keyof GraphUser> = {
  userprincipalname: 'userPrincipalName',
  mail: 'mail',
  samaccountname: 'onPremisesSamAccountName',
  uid: 'mailNickname',
  mobile: 'mobilePhone',
  displayname: 'displayName',
  id: 'id',
};

const maybeText = () => z.nullish(z.string());
const graphUser = z.object({
  id: z.string(),
  displayName: maybeText(),
  userPrincipalName: maybeText(),
  mail: maybeText(),
  mailNickname: maybeText(),
  onPremisesSamAccountName: maybeText(),
  mobilePhone: maybeText(),
});
type GraphUser = z.infer<typeof graphUser>;
const userList = z.object({ value: z.array(graphUser) });
const groupList = z.object({ value: z.array(z.object({ id: z.string(), displayName: maybeText() })) });
const objectRef = z.object({ id: z.string() });
const objectRefList = z.object({ value: z.array(objectRef) });
const tokenAnswer = z.object({ access_token: z.string().check(z.minLength(1)), expires_in: z.coerce.number().check(z.positive()) });
const tokenRefusal = z.object({ error: z.optional(z.string()), error_description: z.optional(z.string()) });

interface CachedToken {
  /** Shared by every caller while the request is in flight. */
  token: Promise<string>;
  /** The settled token, so a 401 drops only the token it was refused with. */
  value?: string;
  refreshAt: number;
}

/** Per isolate; keyed by tenant, client and a hash of the secret, so a rotated secret gets a new token. */
const tokenCache = new Map<string, CachedToken>();

/** For tests: forget every cached access token. */
export function clearEntraTokenCache(): void {
  tokenCache.clear();
}

/** Seconds to keep a token: until 5 min before it expires, or half its life when that is under 10 min. */
const keepSeconds = (expiresIn: number) => (expiresIn < 600 ? expiresIn / 2 : expiresIn - 300);

/** An OData string literal. */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Percent-encodes a query value; `'` too, as the URL parser would (so the URL sent is the URL built). */
const encode = (value: string) => encodeURIComponent(value).replaceAll("'", '%27');

type Query = readonly (readonly [string, string])[];

const errorName = (error: unknown) => (typeof error === 'object' && error !== null && 'name' in error ? error.name : undefined);

const retryAfter = (response: Response): number | null => {
  const header = response.headers.get('retry-after')?.trim();
  return header && /^\d+$/.test(header) ? Number(header) : null;
};

/** Frees a response body we do not read. */
const discard = (response: Response) => response.body?.cancel().catch(() => undefined);

/**
 * Reads a user repository from an Entra ID tenant. Lookups that match more than one user (two users
 * sharing a mail, say) are ambiguous and answer null, as if nobody matched: picking one could pick the
 * wrong approver.
 */
export function entraDirectory(profile: EntraProfile): Directory {
  const name = `entra:${profile.name}`;
  const cacheKey = sha256Hex(profile.clientSecret).then((hash) => `${profile.tenantId}|${profile.clientId}|${hash}`);
  // Entra's own messages could echo what it was sent; the secret never reaches a log.
  const redact = (message: string) => (profile.clientSecret ? message.replaceAll(profile.clientSecret, '[redacted]') : message);
  const unavailable = (message: string, retryAfterSeconds: number | null = null) =>
    new DirectoryUnavailableError(name, redact(message), retryAfterSeconds);

  /** fetch with the timeout, network failures turned into DirectoryUnavailableError. */
  async function send(service: string, url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      if (errorName(error) === 'TimeoutError') throw unavailable(`${service} did not answer within ${TIMEOUT_MS / 1000} s`);
      throw unavailable(`${service} could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async function requestToken(): Promise<{ accessToken: string; expiresIn: number }> {
    const response = await send('Entra ID', `https://login.microsoftonline.com/${encodeURIComponent(profile.tenantId)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: profile.clientId,
        client_secret: profile.clientSecret,
        scope: 'https://graph.microsoft.com/.default',
        grant_type: 'client_credentials',
      }).toString(),
    });
    if (response.status === 400 || response.status === 401) {
      const refusal = tokenRefusal.safeParse(await response.json().catch(() => null));
      const error = (refusal.success && refusal.data.error) || `HTTP ${response.status}`;
      // The first line names the AADSTS code and the cause; the rest is trace and correlation ids.
      const cause = refusal.success ? refusal.data.error_description?.split(/\r?\n/)[0]?.trim().slice(0, 300) : undefined;
      throw unavailable(`Entra ID refused the client credentials: ${error}${cause ? `: ${cause}` : ''}`);
    }
    if (!response.ok) {
      await discard(response);
      if (response.status === 429) throw unavailable('Entra ID is throttling token requests', retryAfter(response));
      throw unavailable(`Entra ID answered ${response.status} to the token request`, retryAfter(response));
    }
    const answer = tokenAnswer.safeParse(await response.json().catch(() => null));
    if (!answer.success) throw unavailable('Entra ID sent a token answer that could not be read');
    return { accessToken: answer.data.access_token, expiresIn: answer.data.expires_in };
  }

  async function accessToken(): Promise<string> {
    const key = await cacheKey;
    const cached = tokenCache.get(key);
    if (cached && Date.now() < cached.refreshAt) return cached.token;
    const entry: CachedToken = {
      refreshAt: Number.POSITIVE_INFINITY,
      token: requestToken().then(
        ({ accessToken, expiresIn }) => {
          entry.value = accessToken;
          entry.refreshAt = Date.now() + keepSeconds(expiresIn) * 1000;
          return accessToken;
        },
        (error: unknown) => {
          if (tokenCache.get(key) === entry) tokenCache.delete(key);
          throw error;
        },
      ),
    };
    tokenCache.set(key, entry);
    return entry.token;
  }

  async function dropToken(token: string) {
    const key = await cacheKey;
    if (tokenCache.get(key)?.value === token) tokenCache.delete(key);
  }

  /**
   * GETs a Graph resource and parses it; null when Graph answers 404 (the object does not exist).
   * `advanced`: the query filters on properties only Graph's advanced queries support
   * (onPremisesSamAccountName, mobilePhone), which need $count=true and ConsistencyLevel: eventual.
   */
  async function graph<T>(path: string, query: Query, schema: z.ZodMiniType<T>, advanced = false): Promise<T | null> {
    const url = `${GRAPH}${path}?${query.map(([key, value]) => `${key}=${encode(value)}`).join('&')}`;
    const call = (token: string) =>
      send('Microsoft Graph', url, { headers: { authorization: `Bearer ${token}`, ...(advanced && { consistencylevel: 'eventual' }) } });
    let token = await accessToken();
    let response = await call(token);
    if (response.status === 401) {
      // Revoked or rotated before it expired: one fresh token, one more try.
      await discard(response);
      await dropToken(token);
      token = await accessToken();
      response = await call(token);
      if (response.status === 401) {
        await discard(response);
        await dropToken(token);
        throw unavailable('Entra ID refused the access token');
      }
    }
    if (response.status === 404) {
      await discard(response);
      return null;
    }
    if (!response.ok) {
      await discard(response);
      if (response.status === 403)
        throw unavailable('The app registration lacks Microsoft Graph permissions (User.Read.All and GroupMember.Read.All, application permissions, admin-consented)');
      if (response.status === 429) throw unavailable('Microsoft Graph is throttling requests', retryAfter(response));
      throw unavailable(`Microsoft Graph answered ${response.status}`, retryAfter(response));
    }
    const parsed = schema.safeParse(await response.json().catch(() => null));
    if (!parsed.success) throw unavailable(`Microsoft Graph sent an answer that could not be read (${path})`);
    return parsed.data;
  }

  function toPerson(user: GraphUser, groups: DirectoryGroup[], managerRef: string | null): DirectoryPerson {
    const attributes: Record<string, string[]> = {};
    for (const [attribute, property] of Object.entries(PROPERTY_BY_ATTRIBUTE)) {
      const value = user[property];
      if (value) attributes[attribute] = [value];
    }
    return {
      repository: name,
      ref: user.id,
      attributes,
      displayName: user.displayName || user.userPrincipalName || user.id,
      phone: user.mobilePhone ?? null,
      groups,
      managerRef,
    };
  }

  /** A found user, with their groups (transitively) and manager. */
  async function withRelations(user: GraphUser): Promise<DirectoryPerson> {
    const id = encodeURIComponent(user.id);
    const [groups, manager] = await Promise.all([
      // Up to 999 groups: one page is plenty to match approver groups by name.
      graph(`/users/${id}/transitiveMemberOf/microsoft.graph.group`, [['$select', 'id,displayName'], ['$top', String(MAX_TOP)]], groupList),
      graph(`/users/${id}/manager`, [['$select', 'id']], objectRef),
    ]);
    const memberOf = (groups?.value ?? []).flatMap((group) => (group.displayName ? [{ name: group.displayName, ref: group.id }] : []));
    return toPerson(user, memberOf, manager?.id ?? null);
  }

  /** The one user any of these `property eq 'value'` conditions matches, or null (none, or ambiguous). */
  async function findOne(conditions: readonly (readonly [property: string, value: string])[]): Promise<DirectoryPerson | null> {
    if (conditions.length === 0) return null;
    const filter = conditions.map(([property, value]) => `${property} eq ${literal(value)}`).join(' or ');
    const found = await graph('/users', [['$filter', filter], ['$count', 'true'], ['$select', USER_SELECT]], userList, true);
    const users = found?.value ?? [];
    return users.length === 1 && users[0] ? withRelations(users[0]) : null;
  }

  return {
    name,

    findUser: (id) => (id ? findOne([['userPrincipalName', id], ['mail', id]]) : Promise.resolve(null)),

    findByPhone: (msisdn) => (msisdn ? findOne([['mobilePhone', msisdn]]) : Promise.resolve(null)),

    findByAttributes(id, attributes) {
      if (!id) return Promise.resolve(null);
      const properties = new Set(attributes.flatMap((attribute) => PROPERTY_BY_ATTRIBUTE[attribute.toLowerCase()] ?? []));
      // Graph refuses `id eq` with anything but a GUID, which would fail the whole filter.
      if (!GUID.test(id)) properties.delete('id');
      return findOne([...properties].map((property) => [property, id] as const));
    },

    async findByRef(ref) {
      if (!GUID.test(ref)) return null;
      const user = await graph(`/users/${ref}`, [['$select', USER_SELECT]], graphUser);
      return user ? withRelations(user) : null;
    },

    /**
     * Members come without groups or manager (groups: [], managerRef: null): callers use them only as
     * approver candidates, and fetching both for each member would cost two Graph calls apiece. A group
     * name that several groups share is ambiguous and has no members here.
     */
    async membersOf(groupName, limit) {
      const top = Math.min(Math.floor(limit), MAX_TOP);
      if (!groupName || !(top > 0)) return [];
      const groups = await graph('/groups', [['$filter', `displayName eq ${literal(groupName)}`], ['$select', 'id']], objectRefList);
      const group = groups?.value.length === 1 ? groups.value[0] : undefined;
      if (!group) return [];
      const members = await graph(
        `/groups/${encodeURIComponent(group.id)}/transitiveMembers/microsoft.graph.user`,
        [['$select', USER_SELECT], ['$top', String(top)]],
        userList,
      );
      return (members?.value ?? []).slice(0, top).map((user) => toPerson(user, [], null));
    },

    /** Plain HTTPS requests: no connection to end. */
    close: async () => undefined,
  };
}
