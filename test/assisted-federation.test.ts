/**
 * Assisted login with kind "federation" through the public API: users and approvers in Entra ID, read
 * over Microsoft Graph. Only the outside world is faked, at the fetch boundary: the Microsoft login token
 * endpoint, Graph and the SMS provider. Everything else (the stored, sealed Entra profile, the session,
 * the magic link, the authentication log) is the real thing.
 */
import { env, SELF } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assistedLoginProfileSchema, type AssistedLoginProfileInput } from '../src/domain/assisted-login';
import { clearEntraTokenCache } from '../src/directory/entra';
import { clearDirectoryCache } from '../src/directory/repositories';
import { sealDirectorySecret } from '../src/security/directory-secrets';
import { insertAssistedLoginProfile, insertEntraProfile } from '../src/store/directory';
import { authLog } from '../src/store/schema';
import { db, decideLink, fakeEndpoint, fakeSmsProvider, seedProfile, seedToken } from './support';

const TENANT = '7a0c3e51-0000-4000-8000-00000000fed1';
const CLIENT_ID = '3c9d2b10-1111-4111-8111-0000000000a1';
const SECRET = 'Qz8~federation.secret-value_77';
const TOKEN_URL = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;
const GRAPH = 'https://graph.microsoft.com/v1.0';
/** $select=id,displayName,userPrincipalName,mail,mailNickname,onPremisesSamAccountName,mobilePhone, as sent. */
const SELECT = 'id%2CdisplayName%2CuserPrincipalName%2Cmail%2CmailNickname%2ConPremisesSamAccountName%2CmobilePhone';
/** Graph query values as the adapter sends them: percent-encoded, ' included. */
const encoded = (value: string) => encodeURIComponent(value).replaceAll("'", '%27');

interface GraphUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  mailNickname: string;
  onPremisesSamAccountName: string | null;
  mobilePhone: string | null;
}

/** A tenant member: a Graph user, the groups they are (transitively) in, their manager's object id. */
interface Member {
  user: GraphUser;
  groups: Array<{ id: string; displayName: string }>;
  managerId: string | null;
}

let sequence = 0;
/** A group's object id, from its display name. */
const groupId = (name: string) => `g-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
const guid = (n: number) => `${String(n).padStart(8, '0')}-aaaa-4aaa-8aaa-${String(n).padStart(12, '0')}`;

/** A tenant user; `nickname` is the mailNickname (the "uid" approver id attribute), UPN is nickname@contoso.com. */
function member(nickname: string, displayName: string, mobilePhone: string | null, options: { sam?: string; groups?: string[]; managerId?: string } = {}): Member {
  return {
    user: {
      id: guid(++sequence),
      displayName,
      userPrincipalName: `${nickname}@contoso.com`,
      mail: `${nickname}@contoso.com`,
      mailNickname: nickname,
      onPremisesSamAccountName: options.sam ?? null,
      mobilePhone,
    },
    groups: (options.groups ?? []).map((name) => ({ id: groupId(name), displayName: name })),
    managerId: options.managerId ?? null,
  };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** The URLs the adapter builds, spelled out independently. */
const urls = {
  userByUpn: (upn: string) =>
    `${GRAPH}/users?$filter=${encoded(`userPrincipalName eq '${upn}' or mail eq '${upn}'`)}&$count=true&$select=${SELECT}`,
  /** An approver id the user typed, against the default approver id attributes (sAMAccountName, uid, mail, mobile). */
  userByApproverId: (id: string) =>
    `${GRAPH}/users?$filter=${encoded(`onPremisesSamAccountName eq '${id}' or mailNickname eq '${id}' or mail eq '${id}' or mobilePhone eq '${id}'`)}&$count=true&$select=${SELECT}`,
  userByRef: (id: string) => `${GRAPH}/users/${id}?$select=${SELECT}`,
  groupsOf: (id: string) => `${GRAPH}/users/${id}/transitiveMemberOf/microsoft.graph.group?$select=id%2CdisplayName&$top=999`,
  managerOf: (id: string) => `${GRAPH}/users/${id}/manager?$select=id`,
  groupByName: (name: string) => `${GRAPH}/groups?$filter=${encoded(`displayName eq '${name}'`)}&$select=id`,
  groupMembers: (groupId: string, top: number) => `${GRAPH}/groups/${groupId}/transitiveMembers/microsoft.graph.user?$select=${SELECT}&$top=${top}`,
};

/**
 * Fakes Microsoft for one test: the token endpoint (token-1, token-2, …) and the Graph URLs registered.
 * Call after fakeSmsProvider(). A request to a Microsoft URL nobody registered fails as unreachable and is
 * listed in `unexpected`, which afterEach checks, so a changed URL shows as itself rather than as a 503.
 */
function fakeMicrosoft() {
  const requests: Request[] = [];
  const tokenForms: Record<string, string>[] = [];
  const faked = new Set<string>();
  const unexpected: string[] = [];
  const fake = (url: string, answer: (request: Request) => Response | Promise<Response>) => {
    faked.add(url);
    fakeEndpoint(url, async (request) => {
      requests.push(request);
      return answer(request);
    });
  };
  let tokenAnswer: () => Response = () => json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `token-${tokenForms.length}` });
  fake(TOKEN_URL, async (request) => {
    tokenForms.push(Object.fromEntries([...(await request.formData())].map(([field, value]) => [field, String(value)])));
    return tokenAnswer();
  });
  const fetchMock = vi.mocked(globalThis.fetch);
  const inner = fetchMock.getMockImplementation()!;
  fetchMock.mockImplementation(async (input, init) => {
    const url = new Request(input, init).url;
    if (/^https:\/\/(graph\.microsoft\.com|login\.microsoftonline\.com)\//.test(url) && !faked.has(url)) {
      unexpectedRequests.push(url);
      unexpected.push(url);
      throw new TypeError(`not faked: ${url}`);
    }
    return inner(input, init);
  });

  /** Graph knows this member: by object id, their groups and their manager (404 when none). */
  const knows = (...people: Member[]) => {
    for (const { user, groups, managerId } of people) {
      fake(urls.userByRef(user.id), () => json(user));
      fake(urls.groupsOf(user.id), () => json({ value: groups }));
      fake(urls.managerOf(user.id), () =>
        managerId ? json({ '@odata.type': '#microsoft.graph.user', id: managerId }) : json({ error: { code: 'Request_ResourceNotFound', message: 'Resource not found' } }, 404),
      );
    }
  };
  const list = (people: Member[]) => json({ '@odata.count': people.length, value: people.map((person) => person.user) });
  return {
    requests,
    tokenForms,
    unexpected,
    knows,
    /** The user the application names by UPN (or mail). */
    user: (person: Member) => {
      knows(person);
      fake(urls.userByUpn(person.user.userPrincipalName), () => list([person]));
    },
    /** The approver id a user types. */
    approverId: (id: string, person: Member) => {
      knows(person);
      fake(urls.userByApproverId(id), () => list([person]));
    },
    group: (name: string, people: Member[]) => {
      fake(urls.groupByName(name), () => json({ value: [{ id: groupId(name) }] }));
      // MAX_APPROVERS_ASKED + 1, so a group with more than the most asked is noticed.
      fake(urls.groupMembers(groupId(name), 11), () => list(people));
    },
    /** Replaces a Graph URL's answer. */
    fake,
    failTokens: (answer: () => Response) => {
      tokenAnswer = answer;
    },
    graphRequests: () => requests.filter((request) => request.url.startsWith(GRAPH)),
    tokenRequests: () => requests.filter((request) => request.url === TOKEN_URL),
  };
}

let unexpectedRequests: string[] = [];

beforeEach(() => {
  clearDirectoryCache();
  clearEntraTokenCache();
  unexpectedRequests = [];
});
afterEach(() => {
  vi.restoreAllMocks();
  expect(unexpectedRequests, 'Microsoft requests nobody faked').toEqual([]);
});

/** An Entra ID profile stored as the console stores it: the client secret sealed. */
async function seedEntra() {
  const name = `contoso-${++sequence}`;
  await insertEntraProfile(db(), { name, tenantId: TENANT, clientId: CLIENT_ID, clientSecretSealed: await sealDirectorySecret(env, SECRET) });
  return name;
}

/** An endpoint with federation assisted login over one Entra ID profile; returns its names and an api-key. */
async function seedFederationEndpoint(rule: Partial<AssistedLoginProfileInput>, settings: Parameters<typeof seedProfile>[1] = {}) {
  const entra = await seedEntra();
  const assisted = await insertAssistedLoginProfile(db(), assistedLoginProfileSchema.parse({ name: `entra-rule-${++sequence}`, kind: 'federation', ...rule }));
  const endpoint = `federated-${++sequence}`;
  await seedProfile(endpoint, {
    assistedLogin: { profile: assisted.name, useLocalDatabase: false, ldapProfiles: [], entraProfiles: [entra] },
    rateLimit: { perMinute: 1000, perHour: 1000 },
    ...settings,
  });
  return { endpoint, entra, apiKey: await seedToken({ profile: endpoint }) };
}

const call = (apiKey: string, endpoint: string, body: Record<string, unknown>) =>
  SELF.fetch(`http://localhost/api/sfwa/auth/${endpoint}`, { method: 'POST', headers: { 'api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const fieldError = async (response: Response) => {
  const body = await response.json<{ code: string; errors?: Array<{ field: string; message: string }> }>();
  return { status: response.status, code: body.code, errors: body.errors ?? [] };
};

const logRows = (endpoint: string) => db().select().from(authLog).where(eq(authLog.profileName, endpoint));

describe('assisted login against Entra ID (federation)', () => {
  it('asks only the approver the user named (an approver group member, via transitiveMemberOf); the approver accepts and the answer names them', async () => {
    const sms = fakeSmsProvider();
    const microsoft = fakeMicrosoft();
    const alice = member('alice', 'Alice Andersson', '+46 70 222 00 01', { groups: ['VPN Users'] });
    // Cloud-only: no sAMAccountName, so the answer names her by mailNickname (the "uid" attribute).
    const hank = member('hank', 'Hank Helpdesk', '+46 70 222 00 02', { groups: ['Helpdesk', 'All Staff'] });
    microsoft.user(alice);
    microsoft.approverId('hank', hank);
    const { endpoint, apiKey } = await seedFederationEndpoint({ approverGroups: ['Helpdesk'] });

    const answer = call(apiKey, endpoint, { username: 'alice@contoso.com', approver: 'hank' });
    const message = await sms.nextSms();
    expect(message.form.get('to')).toBe('+46702220002');
    // Swedish number, Swedish built-in text, naming the user by the notification attribute (displayName).
    expect(message.form.get('message')).toMatch(/^Alice Andersson ber dig godkänna en inloggning: http:\/\/localhost\/l\//);
    const page = await (await SELF.fetch(message.link, { headers: { 'accept-language': 'en' } })).text();
    expect(page).toContain('Approve a sign-in for Alice Andersson');
    expect(page).toContain(`Alice Andersson is signing in to ${endpoint} and needs your approval.`);
    expect((await decideLink(message.link, 'accept')).status).toBe(200);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'ACCEPT', channel: 'sms', approver: 'hank', receipt: expect.any(String) });
    expect(sms.sent).toHaveLength(1);

    // The client credentials, unsealed from the stored profile, went to the tenant's token endpoint.
    expect(microsoft.tokenRequests()).toHaveLength(1);
    expect(microsoft.tokenRequests()[0]!.method).toBe('POST');
    expect(microsoft.tokenForms).toEqual([{ client_id: CLIENT_ID, client_secret: SECRET, scope: 'https://graph.microsoft.com/.default', grant_type: 'client_credentials' }]);
    // The exact Graph requests: the user by UPN or mail, her groups and manager, the approver by the
    // approver id attributes, his groups (the rule is checked on them) and manager.
    const graphRequests = microsoft.graphRequests();
    const [userLookup] = graphRequests;
    expect(userLookup!.url).toBe(
      `${GRAPH}/users?$filter=userPrincipalName%20eq%20%27alice%40contoso.com%27%20or%20mail%20eq%20%27alice%40contoso.com%27&$count=true&$select=${SELECT}`,
    );
    expect(new URL(userLookup!.url).searchParams.get('$filter')).toBe("userPrincipalName eq 'alice@contoso.com' or mail eq 'alice@contoso.com'");
    expect(new URL(userLookup!.url).searchParams.get('$select')).toBe('id,displayName,userPrincipalName,mail,mailNickname,onPremisesSamAccountName,mobilePhone');
    expect(graphRequests.map((request) => request.url).sort()).toEqual(
      [
        urls.userByUpn('alice@contoso.com'),
        urls.groupsOf(alice.user.id),
        urls.managerOf(alice.user.id),
        urls.userByApproverId('hank'),
        urls.groupsOf(hank.user.id),
        urls.managerOf(hank.user.id),
      ].sort(),
    );
    const approverLookup = graphRequests.find((request) => request.url === urls.userByApproverId('hank'))!;
    expect(new URL(approverLookup.url).searchParams.get('$filter')).toBe("onPremisesSamAccountName eq 'hank' or mailNickname eq 'hank' or mail eq 'hank' or mobilePhone eq 'hank'");
    for (const request of graphRequests) {
      expect(request.method).toBe('GET');
      expect(request.headers.get('authorization')).toBe('Bearer token-1');
      // Advanced queries (filters on mobilePhone, onPremisesSamAccountName) only for the user searches.
      expect(request.headers.get('consistencylevel')).toBe(request.url.startsWith(`${GRAPH}/users?`) ? 'eventual' : null);
    }

    await vi.waitFor(async () => {
      const rows = await logRows(endpoint);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ outcome: 'ACCEPT', channel: 'sms', assistedUser: 'alice@contoso.com', approver: 'hank', msisdnMasked: '+4670*****02' });
    });
  });

  it("without a named approver asks the user's manager (/manager, then the manager by object id); a reject is REJECT", async () => {
    const sms = fakeSmsProvider();
    const microsoft = fakeMicrosoft();
    // Synced from AD: the answer names her by sAMAccountName, the first approver id attribute.
    const maria = member('maria', 'Maria Lindqvist', '+46 70 222 00 12', { sam: 'mlindqvist', groups: ['Managers'] });
    const bob = member('bob', 'Bob Berg', '+46 70 222 00 11', { managerId: maria.user.id });
    microsoft.user(bob);
    microsoft.knows(maria);
    const { endpoint, apiKey } = await seedFederationEndpoint(
      { managerApproves: true },
      { assistedMessages: { titleText: '', smsText: '{user} @ {endpoint}:', buttonAcceptText: '', buttonRejectText: '', authenticationText: '', touchAcceptedText: '', touchRejectedText: '' } },
    );

    const answer = call(apiKey, endpoint, { username: 'bob@contoso.com' });
    const message = await sms.nextSms();
    expect(message.form.get('to')).toBe('+46702220012');
    expect(message.form.get('message')).toMatch(new RegExp(`^Bob Berg @ ${endpoint}: http://localhost/l/`));
    await decideLink(message.link, 'reject');
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'REJECT', channel: 'sms', approver: 'mlindqvist', receipt: expect.any(String) });
    expect(sms.sent).toHaveLength(1);

    const asked = microsoft.graphRequests().map((request) => request.url);
    expect(asked).toContain(urls.managerOf(bob.user.id));
    expect(asked).toContain(urls.userByRef(maria.user.id));
    const managerRead = microsoft.graphRequests().find((request) => request.url === urls.userByRef(maria.user.id))!;
    expect(managerRead.headers.get('authorization')).toBe('Bearer token-1');
    // No approver groups, no named approver: no group or approver-id search.
    expect(asked.filter((url) => url.startsWith(`${GRAPH}/groups`) || url === urls.userByApproverId('maria'))).toEqual([]);
    await vi.waitFor(async () => {
      expect(await logRows(endpoint)).toEqual([expect.objectContaining({ outcome: 'REJECT', assistedUser: 'bob@contoso.com', approver: 'mlindqvist' })]);
    });
  });

  it("asks every member of the approver group at once (never the user herself, nor one without a phone); the first answer wins and the other link stops working", async () => {
    const sms = fakeSmsProvider();
    const microsoft = fakeMicrosoft();
    const carla = member('carla', 'Carla Carlsson', '+46 70 222 00 21', { groups: ['Service Desk'] });
    const helen = member('helen', 'Helen Hall', '+46 70 222 00 22');
    const hugo = member('hugo', 'Hugo Holm', '+46 70 222 00 23');
    const nophone = member('nils', 'Nils No-Phone', null);
    microsoft.user(carla);
    microsoft.group('Service Desk', [carla, helen, nophone, hugo]);
    const { endpoint, apiKey } = await seedFederationEndpoint({ approverGroups: ['Service Desk'] });

    const answer = call(apiKey, endpoint, { username: 'carla@contoso.com' });
    const first = await sms.nextSms();
    const second = await sms.nextSms();
    expect([first.form.get('to'), second.form.get('to')].sort()).toEqual(['+46702220022', '+46702220023']);
    for (const message of [first, second]) expect(message.form.get('message')).toMatch(/^Carla Carlsson ber dig godkänna en inloggning: /);
    const hugos = first.form.get('to') === '+46702220023' ? first : second;
    const helens = hugos === first ? second : first;
    await decideLink(hugos.link, 'reject');
    expect(await (await answer).json()).toEqual({ code: 'REJECT', channel: 'sms', approver: 'hugo', receipt: expect.any(String) });
    expect((await SELF.fetch(helens.link)).status).toBe(410);
    expect(sms.sent).toHaveLength(2);

    const lookup = microsoft.graphRequests().find((request) => request.url === urls.groupByName('Service Desk'))!;
    expect(lookup.url).toBe(`${GRAPH}/groups?$filter=displayName%20eq%20%27Service%20Desk%27&$select=id`);
    expect(new URL(lookup.url).searchParams.get('$filter')).toBe("displayName eq 'Service Desk'");
    expect(microsoft.graphRequests().map((request) => request.url)).toContain(`${GRAPH}/groups/g-service-desk/transitiveMembers/microsoft.graph.user?$select=${SELECT}&$top=11`);
    await vi.waitFor(async () => {
      expect(await logRows(endpoint)).toContainEqual(expect.objectContaining({ outcome: 'REJECT', assistedUser: 'carla@contoso.com', approver: 'hugo' }));
    });
  });

  it("refuses an approver the profile does not allow on the field approver, sending nothing; a listed approver identity is allowed", async () => {
    const sms = fakeSmsProvider();
    const microsoft = fakeMicrosoft();
    const dora = member('dora', 'Dora Dahl', '+46 70 222 00 31');
    const ted = member('ted', 'Ted Outsider', '+46 70 222 00 32', { groups: ['Sales'] });
    const tina = member('tina', 'Tina Trusted', '+46 70 222 00 33');
    microsoft.user(dora);
    microsoft.approverId('ted', ted);
    microsoft.approverId('tina', tina);
    const { endpoint, apiKey } = await seedFederationEndpoint({ approverGroups: ['Helpdesk'], approverIdentities: ['tina'] });

    const refusal = await fieldError(await call(apiKey, endpoint, { username: 'dora@contoso.com', approver: 'ted' }));
    expect(refusal).toEqual({ status: 400, code: 'BAD_REQUEST', errors: [{ field: 'approver', message: "may not approve this user's sign-in" }] });
    expect(sms.sent).toHaveLength(0);
    expect(sms.deviceSms).toHaveLength(0);
    expect(microsoft.graphRequests().map((request) => request.url)).toContain(urls.groupsOf(ted.user.id));
    expect(await logRows(endpoint)).toEqual([]);

    // The user herself is not her own approver either.
    microsoft.approverId('dora', dora);
    expect(await fieldError(await call(apiKey, endpoint, { username: 'dora@contoso.com', approver: 'dora' }))).toMatchObject({
      status: 400,
      errors: [{ field: 'approver', message: "may not approve this user's sign-in" }],
    });
    expect(sms.sent).toHaveLength(0);

    const answer = call(apiKey, endpoint, { username: 'dora@contoso.com', approver: 'tina' });
    const message = await sms.nextSms();
    expect(message.form.get('to')).toBe('+46702220033');
    await decideLink(message.link, 'accept');
    expect(await (await answer).json()).toEqual({ code: 'ACCEPT', channel: 'sms', approver: 'tina', receipt: expect.any(String) });
  });

  it.each<[string, (microsoft: ReturnType<typeof fakeMicrosoft>) => void, string, string | null]>([
    [
      'the token endpoint refuses the client credentials (401)',
      (microsoft) =>
        microsoft.failTokens(() =>
          json({ error: 'invalid_client', error_description: `AADSTS7000215: Invalid client secret provided. Sent: ${SECRET}\r\nTrace ID: 0000`, error_codes: [7000215] }, 401),
        ),
      'Entra ID refused the client credentials: invalid_client: AADSTS7000215: Invalid client secret provided. Sent: [redacted]',
      null,
    ],
    [
      'Graph answers 503',
      (microsoft) => microsoft.fake(urls.userByUpn('erik@contoso.com'), () => new Response('Service Unavailable', { status: 503 })),
      'Microsoft Graph answered 503',
      null,
    ],
    [
      'Graph throttles (429 with Retry-After)',
      (microsoft) => microsoft.fake(urls.userByUpn('erik@contoso.com'), () => json({ error: { code: 'TooManyRequests' } }, 429, { 'retry-after': '7' })),
      'Microsoft Graph is throttling requests',
      '7',
    ],
  ])('answers 503 DIRECTORY_UNAVAILABLE when %s, and sends nothing', async (_why, fail, reason, retryAfter) => {
    const sms = fakeSmsProvider();
    const microsoft = fakeMicrosoft();
    const errors = vi.spyOn(console, 'error');
    fail(microsoft);
    const { endpoint, entra, apiKey } = await seedFederationEndpoint({ approverGroups: ['Helpdesk'] });

    const response = await call(apiKey, endpoint, { username: 'erik@contoso.com', approver: 'hank' });

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ code: 'DIRECTORY_UNAVAILABLE', message: `The user directory "entra:${entra}" could not be asked; try again later` });
    expect(response.headers.get('retry-after')).toBe(retryAfter);
    expect(sms.sent).toHaveLength(0);
    expect(sms.deviceSms).toHaveLength(0);
    expect(microsoft.tokenRequests()).toHaveLength(1);
    // A refused token is not taken to Graph; a failing Graph is asked once (no retry but on a 401).
    expect(microsoft.graphRequests().map((request) => request.url)).toEqual(reason.startsWith('Entra ID') ? [] : [urls.userByUpn('erik@contoso.com')]);
    expect(await logRows(endpoint)).toEqual([]);
    // The reason is in the log, never the secret.
    const logged = errors.mock.calls.map((args) => args.join(' ')).join('\n');
    expect(logged).toContain('assisted.directory_unavailable');
    expect(logged).toContain(JSON.stringify(reason).slice(1, -1));
    expect(logged).not.toContain(SECRET);
  });

  it('gets the client-credentials token once and reuses it for the next authentication; repeated lookups come from the directory cache', async () => {
    const sms = fakeSmsProvider();
    const microsoft = fakeMicrosoft();
    const fiona = member('fiona', 'Fiona Fors', '+46 70 222 00 41');
    const gus = member('gus', 'Gus Gate', '+46 70 222 00 42', { groups: ['Gatekeepers'] });
    microsoft.user(fiona);
    microsoft.approverId('gus', gus);
    const { endpoint, apiKey } = await seedFederationEndpoint({ approverGroups: ['Gatekeepers'] });
    const authenticate = async () => {
      const answer = call(apiKey, endpoint, { username: 'fiona@contoso.com', approver: 'gus' });
      const message = await sms.nextSms();
      expect(message.form.get('to')).toBe('+46702220042');
      await decideLink(message.link, 'accept');
      expect(await (await answer).json()).toEqual({ code: 'ACCEPT', channel: 'sms', approver: 'gus', receipt: expect.any(String) });
    };

    await authenticate();
    expect(microsoft.graphRequests()).toHaveLength(6);
    // A new request opens the directory afresh; with the lookups forgotten, Graph is asked again, with the same token.
    clearDirectoryCache();
    await authenticate();
    expect(microsoft.tokenRequests()).toHaveLength(1);
    expect(microsoft.graphRequests()).toHaveLength(12);
    expect(microsoft.graphRequests().every((request) => request.headers.get('authorization') === 'Bearer token-1')).toBe(true);
    // Within the directory cache's 60 s, the same lookups do not reach Graph at all.
    await authenticate();
    expect(microsoft.graphRequests()).toHaveLength(12);
    expect(microsoft.tokenRequests()).toHaveLength(1);
    expect(sms.sent).toHaveLength(3);
  });
});
