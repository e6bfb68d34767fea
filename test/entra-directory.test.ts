/** The Entra ID repository against fake login.microsoftonline.com and graph.microsoft.com endpoints, at the fetch boundary. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DirectoryUnavailableError } from '../src/directory/directory';
import { clearEntraTokenCache, entraDirectory } from '../src/directory/entra';
import { fakeEndpoint } from './support';

afterEach(() => {
  clearEntraTokenCache();
  vi.restoreAllMocks();
});

const TENANT = '5f1c2d3e-0000-4000-8000-00000000c0de';
const SECRET = 'Xy7~super.secret-value_42';
const profile = { name: 'contoso', tenantId: TENANT, clientId: 'app-client-id', clientSecret: SECRET };
const TOKEN_URL = `https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token`;
const GRAPH = 'https://graph.microsoft.com/v1.0';
/** $select=id,displayName,userPrincipalName,mail,mailNickname,onPremisesSamAccountName,mobilePhone, as sent. */
const SELECT = 'id%2CdisplayName%2CuserPrincipalName%2Cmail%2CmailNickname%2ConPremisesSamAccountName%2CmobilePhone';

const ALICE_ID = '11111111-aaaa-4aaa-8aaa-111111111111';
const BOSS_ID = '22222222-bbbb-4bbb-8bbb-222222222222';
const alice = {
  id: ALICE_ID,
  displayName: 'Alice Andersson',
  userPrincipalName: 'alice@contoso.com',
  mail: 'alice.andersson@contoso.com',
  mailNickname: 'alice',
  onPremisesSamAccountName: 'aandersson',
  mobilePhone: '+46 70 123 45 67',
};
const ALICE_LOOKUP = `${GRAPH}/users?$filter=userPrincipalName%20eq%20%27alice%40contoso.com%27%20or%20mail%20eq%20%27alice%40contoso.com%27&$count=true&$select=${SELECT}`;
const ALICE_GROUPS = `${GRAPH}/users/${ALICE_ID}/transitiveMemberOf/microsoft.graph.group?$select=id%2CdisplayName&$top=999`;
const ALICE_MANAGER = `${GRAPH}/users/${ALICE_ID}/manager?$select=id`;

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** Every request the fakes answered, in order. */
let requests: Request[] = [];

/** Fakes one Graph URL: records the request and answers `answer` (a fresh Response each time). */
function graph(url: string, answer: (request: Request) => Response | Promise<Response>) {
  fakeEndpoint(url, async (request) => {
    requests.push(request);
    return answer(request);
  });
}

/** Fakes the token endpoint: token-1, token-2, … lasting `expiresIn` seconds; records the form each request sent. */
function tokenEndpoint(expiresIn = 3599) {
  const forms: Record<string, string>[] = [];
  fakeEndpoint(TOKEN_URL, async (request) => {
    requests.push(request);
    forms.push(Object.fromEntries([...(await request.formData())].map(([field, value]) => [field, String(value)])));
    return json({ token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: `token-${forms.length}` });
  });
  return forms;
}

/** Alice's lookup with her groups and manager. */
function aliceInGraph() {
  graph(ALICE_LOOKUP, () => json({ '@odata.count': 1, value: [alice] }));
  graph(ALICE_GROUPS, () =>
    json({
      value: [
        { id: 'g-1', displayName: 'VPN Users' },
        { id: 'g-2', displayName: 'Finance' },
      ],
    }),
  );
  graph(ALICE_MANAGER, () => json({ '@odata.type': '#microsoft.graph.user', id: BOSS_ID }));
}

const graphRequests = () => requests.filter((request) => request.url.startsWith(GRAPH));
const tokenRequests = () => requests.filter((request) => request.url === TOKEN_URL);

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a DirectoryUnavailableError');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(DirectoryUnavailableError);
      const failure = error as DirectoryUnavailableError;
      expect(failure.repository).toBe('entra:contoso');
      // Never the secret nor a token, wherever the message goes.
      expect(failure.message).not.toContain(SECRET);
      expect(failure.message).not.toMatch(/token-\d/);
      return failure;
    },
  );

afterEach(() => {
  requests = [];
});

describe('Entra ID lookups', () => {
  it('gets a token with the client credentials and finds a user by UPN or mail, with groups and manager', async () => {
    const forms = tokenEndpoint();
    aliceInGraph();
    const directory = entraDirectory(profile);
    expect(directory.name).toBe('entra:contoso');

    const person = await directory.findUser('alice@contoso.com');

    expect(person).toEqual({
      repository: 'entra:contoso',
      ref: ALICE_ID,
      displayName: 'Alice Andersson',
      phone: '+46 70 123 45 67',
      attributes: {
        userprincipalname: ['alice@contoso.com'],
        mail: ['alice.andersson@contoso.com'],
        samaccountname: ['aandersson'],
        uid: ['alice'],
        mobile: ['+46 70 123 45 67'],
        displayname: ['Alice Andersson'],
        id: [ALICE_ID],
      },
      groups: [
        { name: 'VPN Users', ref: 'g-1' },
        { name: 'Finance', ref: 'g-2' },
      ],
      managerRef: BOSS_ID,
    });

    const [token] = tokenRequests();
    expect(tokenRequests()).toHaveLength(1);
    expect(token!.method).toBe('POST');
    expect(token!.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(forms[0]).toEqual({
      client_id: 'app-client-id',
      client_secret: SECRET,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    });

    const [lookup, ...relations] = graphRequests();
    expect(lookup!.url).toBe(ALICE_LOOKUP);
    expect(new URL(lookup!.url).searchParams.get('$filter')).toBe("userPrincipalName eq 'alice@contoso.com' or mail eq 'alice@contoso.com'");
    expect(lookup!.method).toBe('GET');
    expect(lookup!.headers.get('authorization')).toBe('Bearer token-1');
    expect(lookup!.headers.get('consistencylevel')).toBe('eventual');
    expect(relations.map((request) => request.url).sort()).toEqual([ALICE_MANAGER, ALICE_GROUPS].sort());
    for (const request of relations) {
      expect(request.headers.get('authorization')).toBe('Bearer token-1');
      expect(request.headers.get('consistencylevel')).toBeNull();
    }
  });

  it('asks for groups and manager in parallel', async () => {
    tokenEndpoint();
    let arrived!: () => void;
    const bothArrived = new Promise<void>((resolve) => {
      let count = 0;
      arrived = () => {
        count += 1;
        if (count === 2) resolve();
      };
    });
    // Each answers only once the other was asked: a sequential implementation never gets both.
    const waitForBoth = () =>
      Promise.race([bothArrived, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not asked in parallel')), 1000))]);
    graph(ALICE_LOOKUP, () => json({ value: [alice] }));
    graph(ALICE_GROUPS, async () => {
      arrived();
      await waitForBoth();
      return json({ value: [] });
    });
    graph(ALICE_MANAGER, async () => {
      arrived();
      await waitForBoth();
      return json({ id: BOSS_ID });
    });
    const person = await entraDirectory(profile).findUser('alice@contoso.com');
    expect(person).toMatchObject({ ref: ALICE_ID, groups: [], managerRef: BOSS_ID });
  });

  it('a user without a manager (404) or optional properties maps to nulls and leaves empty attributes out', async () => {
    tokenEndpoint();
    const bare = { id: ALICE_ID, displayName: 'Alice', userPrincipalName: 'alice@contoso.com', mail: null, mailNickname: '', onPremisesSamAccountName: null, mobilePhone: null };
    graph(ALICE_LOOKUP, () => json({ value: [bare] }));
    graph(ALICE_GROUPS, () => json({ value: [] }));
    graph(ALICE_MANAGER, () => json({ error: { code: 'Request_ResourceNotFound', message: 'Resource not found' } }, 404));
    expect(await entraDirectory(profile).findUser('alice@contoso.com')).toEqual({
      repository: 'entra:contoso',
      ref: ALICE_ID,
      displayName: 'Alice',
      phone: null,
      attributes: { userprincipalname: ['alice@contoso.com'], displayname: ['Alice'], id: [ALICE_ID] },
      groups: [],
      managerRef: null,
    });
  });

  it('answers null when nobody matches, and when several users do (ambiguous), without asking for groups', async () => {
    tokenEndpoint();
    let answer: unknown[] = [];
    graph(ALICE_LOOKUP, () => json({ value: answer }));
    const directory = entraDirectory(profile);
    expect(await directory.findUser('alice@contoso.com')).toBeNull();
    answer = [alice, { ...alice, id: BOSS_ID }];
    expect(await directory.findUser('alice@contoso.com')).toBeNull();
    expect(graphRequests().map((request) => request.url)).toEqual([ALICE_LOOKUP, ALICE_LOOKUP]);
  });

  it("escapes ' in OData string literals and percent-encodes the filter", async () => {
    tokenEndpoint();
    const url = `${GRAPH}/users?$filter=userPrincipalName%20eq%20%27o%27%27brien%40contoso.com%27%20or%20mail%20eq%20%27o%27%27brien%40contoso.com%27&$count=true&$select=${SELECT}`;
    graph(url, () => json({ value: [] }));
    expect(await entraDirectory(profile).findUser("o'brien@contoso.com")).toBeNull();
    const [lookup] = graphRequests();
    expect(lookup!.url).toBe(url);
    expect(new URL(lookup!.url).searchParams.get('$filter')).toBe("userPrincipalName eq 'o''brien@contoso.com' or mail eq 'o''brien@contoso.com'");
  });

  it('finds a user by mobile phone, with + encoded', async () => {
    tokenEndpoint();
    const url = `${GRAPH}/users?$filter=mobilePhone%20eq%20%27%2B46701234567%27&$count=true&$select=${SELECT}`;
    graph(url, () => json({ value: [{ ...alice, mobilePhone: '+46701234567' }] }));
    graph(ALICE_GROUPS, () => json({ value: [] }));
    graph(ALICE_MANAGER, () => json({ id: BOSS_ID }));
    const person = await entraDirectory(profile).findByPhone('+46701234567');
    expect(person).toMatchObject({ ref: ALICE_ID, phone: '+46701234567', managerRef: BOSS_ID });
    const [lookup] = graphRequests();
    expect(lookup!.url).toBe(url);
    expect(lookup!.headers.get('consistencylevel')).toBe('eventual');
    expect(lookup!.headers.get('authorization')).toBe('Bearer token-1');
  });

  it('findByAttributes ORs the Graph properties the attribute names map to, case-insensitively, ignoring unknown ones', async () => {
    tokenEndpoint();
    const filter = "onPremisesSamAccountName eq 'aandersson' or mailNickname eq 'aandersson' or mail eq 'aandersson'";
    const url = `${GRAPH}/users?$filter=${encodeURIComponent(filter).replaceAll("'", '%27')}&$count=true&$select=${SELECT}`;
    graph(url, () => json({ value: [alice] }));
    graph(ALICE_GROUPS, () => json({ value: [] }));
    graph(ALICE_MANAGER, () => json({ id: BOSS_ID }));
    const person = await entraDirectory(profile).findByAttributes('aandersson', ['sAMAccountName', 'UID', 'mail', 'employeeNumber', 'uid']);
    expect(person?.ref).toBe(ALICE_ID);
    const [lookup] = graphRequests();
    expect(lookup!.url).toBe(url);
    expect(new URL(lookup!.url).searchParams.get('$filter')).toBe(filter);
    expect(lookup!.headers.get('consistencylevel')).toBe('eventual');
  });

  it('findByAttributes maps every known attribute, and keeps id only for a GUID', async () => {
    tokenEndpoint();
    const all = ['userPrincipalName', 'mail', 'sAMAccountName', 'uid', 'mobile', 'displayName', 'id'];
    const byName = `${GRAPH}/users?$filter=${encodeURIComponent(
      "userPrincipalName eq 'x' or mail eq 'x' or onPremisesSamAccountName eq 'x' or mailNickname eq 'x' or mobilePhone eq 'x' or displayName eq 'x'",
    ).replaceAll("'", '%27')}&$count=true&$select=${SELECT}`;
    const byGuid = `${GRAPH}/users?$filter=${encodeURIComponent(`mail eq '${ALICE_ID}' or id eq '${ALICE_ID}'`).replaceAll("'", '%27')}&$count=true&$select=${SELECT}`;
    graph(byName, () => json({ value: [] }));
    graph(byGuid, () => json({ value: [] }));
    const directory = entraDirectory(profile);
    expect(await directory.findByAttributes('x', all)).toBeNull();
    expect(await directory.findByAttributes(ALICE_ID, ['mail', 'ID'])).toBeNull();
    expect(graphRequests().map((request) => request.url)).toEqual([byName, byGuid]);
  });

  it('findByAttributes with no mappable attribute answers null without calling Entra ID (nor does close)', async () => {
    tokenEndpoint();
    expect(await entraDirectory(profile).findByAttributes('aandersson', ['employeeNumber', 'cn'])).toBeNull();
    expect(await entraDirectory(profile).findByAttributes(ALICE_ID.slice(1), ['id'])).toBeNull();
    await entraDirectory(profile).close();
    expect(requests).toEqual([]);
  });

  it('findByRef reads the user by object id; 404 and non-GUID refs are null', async () => {
    tokenEndpoint();
    const url = `${GRAPH}/users/${ALICE_ID}?$select=${SELECT}`;
    let found = true;
    graph(url, () => (found ? json(alice) : json({ error: { code: 'Request_ResourceNotFound' } }, 404)));
    graph(ALICE_GROUPS, () => json({ value: [{ id: 'g-1', displayName: 'VPN Users' }] }));
    graph(ALICE_MANAGER, () => json({ id: BOSS_ID }));
    const directory = entraDirectory(profile);
    expect(await directory.findByRef(ALICE_ID)).toMatchObject({ ref: ALICE_ID, displayName: 'Alice Andersson', groups: [{ name: 'VPN Users', ref: 'g-1' }], managerRef: BOSS_ID });
    const [read] = graphRequests();
    expect(read!.url).toBe(url);
    expect(read!.headers.get('authorization')).toBe('Bearer token-1');
    expect(read!.headers.get('consistencylevel')).toBeNull();

    found = false;
    expect(await directory.findByRef(ALICE_ID)).toBeNull();
    requests = [];
    expect(await directory.findByRef('CN=Alice,OU=People,DC=contoso,DC=com')).toBeNull();
    expect(await directory.findByRef(`${ALICE_ID}/manager`)).toBeNull();
    expect(requests).toEqual([]);
  });

  it('membersOf finds the group by display name and lists its transitive user members, without groups or manager', async () => {
    tokenEndpoint();
    const groupLookup = `${GRAPH}/groups?$filter=displayName%20eq%20%27Approvers%20%26%20Co%27%27s%27&$select=id`;
    const members = `${GRAPH}/groups/g-approvers/transitiveMembers/microsoft.graph.user?$select=${SELECT}&$top=2`;
    graph(groupLookup, () => json({ value: [{ id: 'g-approvers' }] }));
    graph(members, () => json({ value: [alice, { id: BOSS_ID, displayName: 'Bo Boss', userPrincipalName: 'bo@contoso.com', mobilePhone: '+46709999999' }] }));

    const found = await entraDirectory(profile).membersOf("Approvers & Co's", 2);

    expect(found).toEqual([
      expect.objectContaining({ repository: 'entra:contoso', ref: ALICE_ID, phone: '+46 70 123 45 67', groups: [], managerRef: null }),
      {
        repository: 'entra:contoso',
        ref: BOSS_ID,
        displayName: 'Bo Boss',
        phone: '+46709999999',
        attributes: { userprincipalname: ['bo@contoso.com'], mobile: ['+46709999999'], displayname: ['Bo Boss'], id: [BOSS_ID] },
        groups: [],
        managerRef: null,
      },
    ]);
    const [lookup, list] = graphRequests();
    expect(graphRequests()).toHaveLength(2);
    expect(lookup!.url).toBe(groupLookup);
    expect(new URL(lookup!.url).searchParams.get('$filter')).toBe("displayName eq 'Approvers & Co''s'");
    expect(list!.url).toBe(members);
    for (const request of [lookup!, list!]) expect(request.headers.get('authorization')).toBe('Bearer token-1');
  });

  it('membersOf: no such group or an ambiguous name is no members; the limit is capped at 999', async () => {
    tokenEndpoint();
    const lookup = (name: string) => `${GRAPH}/groups?$filter=displayName%20eq%20%27${name}%27&$select=id`;
    graph(lookup('Nobody'), () => json({ value: [] }));
    graph(lookup('Twice'), () => json({ value: [{ id: 'g-a' }, { id: 'g-b' }] }));
    graph(lookup('Big'), () => json({ value: [{ id: 'g-big' }] }));
    const bigMembers = `${GRAPH}/groups/g-big/transitiveMembers/microsoft.graph.user?$select=${SELECT}&$top=999`;
    graph(bigMembers, () => json({ value: [alice] }));
    const directory = entraDirectory(profile);
    expect(await directory.membersOf('Nobody', 10)).toEqual([]);
    expect(await directory.membersOf('Twice', 10)).toEqual([]);
    expect((await directory.membersOf('Big', 5000)).map((person) => person.ref)).toEqual([ALICE_ID]);
    expect(graphRequests().map((request) => request.url)).toEqual([lookup('Nobody'), lookup('Twice'), lookup('Big'), bigMembers]);
  });
});

describe('Entra ID access tokens', () => {
  it('reuses the token for later lookups', async () => {
    tokenEndpoint();
    aliceInGraph();
    const directory = entraDirectory(profile);
    await directory.findUser('alice@contoso.com');
    await entraDirectory(profile).findUser('alice@contoso.com');
    expect(tokenRequests()).toHaveLength(1);
    expect(graphRequests()).toHaveLength(6);
    expect(graphRequests().every((request) => request.headers.get('authorization') === 'Bearer token-1')).toBe(true);
  });

  it('a different secret for the same app gets its own token', async () => {
    tokenEndpoint();
    graph(ALICE_LOOKUP, () => json({ value: [] }));
    await entraDirectory(profile).findUser('alice@contoso.com');
    await entraDirectory({ ...profile, clientSecret: 'rotated-secret' }).findUser('alice@contoso.com');
    expect(tokenRequests()).toHaveLength(2);
    expect(graphRequests().map((request) => request.headers.get('authorization'))).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it('refreshes the token 5 minutes before it expires', async () => {
    const start = Date.now();
    const now = vi.spyOn(Date, 'now').mockReturnValue(start);
    tokenEndpoint(3600);
    graph(ALICE_LOOKUP, () => json({ value: [] }));
    const directory = entraDirectory(profile);
    await directory.findUser('alice@contoso.com');
    now.mockReturnValue(start + 3299_000);
    await directory.findUser('alice@contoso.com');
    expect(tokenRequests()).toHaveLength(1);
    now.mockReturnValue(start + 3301_000);
    await directory.findUser('alice@contoso.com');
    expect(tokenRequests()).toHaveLength(2);
    expect(graphRequests().map((request) => request.headers.get('authorization'))).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  it('keeps a short-lived token for half its life', async () => {
    const start = Date.now();
    const now = vi.spyOn(Date, 'now').mockReturnValue(start);
    tokenEndpoint(300);
    graph(ALICE_LOOKUP, () => json({ value: [] }));
    const directory = entraDirectory(profile);
    await directory.findUser('alice@contoso.com');
    now.mockReturnValue(start + 149_000);
    await directory.findUser('alice@contoso.com');
    expect(tokenRequests()).toHaveLength(1);
    now.mockReturnValue(start + 151_000);
    await directory.findUser('alice@contoso.com');
    expect(tokenRequests()).toHaveLength(2);
  });

  it('concurrent lookups share one token request', async () => {
    tokenEndpoint();
    graph(ALICE_LOOKUP, () => json({ value: [] }));
    const directory = entraDirectory(profile);
    const found = await Promise.all([
      directory.findUser('alice@contoso.com'),
      directory.findUser('alice@contoso.com'),
      entraDirectory(profile).findUser('alice@contoso.com'),
    ]);
    expect(found).toEqual([null, null, null]);
    expect(tokenRequests()).toHaveLength(1);
    expect(graphRequests()).toHaveLength(3);
  });
});

describe('Entra ID failures', () => {
  it('token endpoint 401 invalid_client: names the AADSTS error, not the secret, and calls no Graph; the next lookup tries again', async () => {
    let refusals = 0;
    fakeEndpoint(TOKEN_URL, async (request) => {
      requests.push(request);
      refusals += 1;
      return json(
        {
          error: 'invalid_client',
          error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'app-client-id'. Sent: ${SECRET}\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2025-01-01 00:00:00Z`,
          error_codes: [7000215],
        },
        401,
      );
    });
    graph(ALICE_LOOKUP, () => json({ value: [] }));
    const directory = entraDirectory(profile);

    const failure = await failureOf(directory.findUser('alice@contoso.com'));

    expect(failure.message).toBe(
      "Entra ID refused the client credentials: invalid_client: AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app 'app-client-id'. Sent: [redacted]",
    );
    expect(failure.retryAfterSeconds).toBeNull();
    expect(graphRequests()).toEqual([]);
    await failureOf(directory.findUser('alice@contoso.com'));
    expect(refusals).toBe(2);
  });

  it('token endpoint 400 without a JSON body still says the credentials were refused', async () => {
    fakeEndpoint(TOKEN_URL, async () => new Response('Bad Request', { status: 400 }));
    const failure = await failureOf(entraDirectory(profile).findUser('alice@contoso.com'));
    expect(failure.message).toBe('Entra ID refused the client credentials: HTTP 400');
  });

  it('Graph 401: drops the token, gets a fresh one and retries once', async () => {
    tokenEndpoint();
    graph(ALICE_LOOKUP, (request) =>
      request.headers.get('authorization') === 'Bearer token-1' ? json({ error: { code: 'InvalidAuthenticationToken' } }, 401) : json({ value: [] }),
    );
    const directory = entraDirectory(profile);
    expect(await directory.findUser('alice@contoso.com')).toBeNull();
    expect(tokenRequests()).toHaveLength(2);
    expect(graphRequests().map((request) => request.headers.get('authorization'))).toEqual(['Bearer token-1', 'Bearer token-2']);
    // The fresh token is the cached one now.
    await directory.findUser('alice@contoso.com');
    expect(tokenRequests()).toHaveLength(2);
    expect(graphRequests()[2]!.headers.get('authorization')).toBe('Bearer token-2');
  });

  it('Graph 401 twice: Entra ID refused the access token, and the refused token is not kept', async () => {
    tokenEndpoint();
    graph(ALICE_LOOKUP, () => json({ error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } }, 401));
    const directory = entraDirectory(profile);
    const failure = await failureOf(directory.findUser('alice@contoso.com'));
    expect(failure.message).toBe('Entra ID refused the access token');
    expect(failure.retryAfterSeconds).toBeNull();
    expect(graphRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
    await failureOf(directory.findUser('alice@contoso.com'));
    expect(graphRequests()[2]!.headers.get('authorization')).toBe('Bearer token-3');
  });

  it('Graph 403: the app registration lacks permissions', async () => {
    tokenEndpoint();
    graph(ALICE_LOOKUP, () => json({ error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } }, 403));
    const failure = await failureOf(entraDirectory(profile).findUser('alice@contoso.com'));
    expect(failure.message).toBe(
      'The app registration lacks Microsoft Graph permissions (User.Read.All and GroupMember.Read.All, application permissions, admin-consented)',
    );
    expect(failure.retryAfterSeconds).toBeNull();
    expect(tokenRequests()).toHaveLength(1);
  });

  it('a 403 while reading groups fails the lookup too', async () => {
    tokenEndpoint();
    graph(ALICE_LOOKUP, () => json({ value: [alice] }));
    graph(ALICE_GROUPS, () => json({ error: { code: 'Authorization_RequestDenied' } }, 403));
    graph(ALICE_MANAGER, () => json({ id: BOSS_ID }));
    const failure = await failureOf(entraDirectory(profile).findUser('alice@contoso.com'));
    expect(failure.message).toMatch(/^The app registration lacks Microsoft Graph permissions/);
  });

  it('Graph 429: throttling, with Retry-After seconds when given', async () => {
    tokenEndpoint();
    let retryAfter: string | null = '7';
    graph(ALICE_LOOKUP, () =>
      json({ error: { code: 'TooManyRequests' } }, 429, retryAfter === null ? {} : { 'retry-after': retryAfter }),
    );
    const directory = entraDirectory(profile);
    const throttled = await failureOf(directory.findUser('alice@contoso.com'));
    expect(throttled.message).toBe('Microsoft Graph is throttling requests');
    expect(throttled.retryAfterSeconds).toBe(7);
    retryAfter = null;
    expect((await failureOf(directory.findUser('alice@contoso.com'))).retryAfterSeconds).toBeNull();
    // Not a 401: no token refresh, no retry.
    expect(tokenRequests()).toHaveLength(1);
    expect(graphRequests()).toHaveLength(2);
  });

  it('Graph 503: Microsoft Graph answered 503', async () => {
    tokenEndpoint();
    graph(ALICE_LOOKUP, () => new Response('Service Unavailable', { status: 503 }));
    const failure = await failureOf(entraDirectory(profile).findUser('alice@contoso.com'));
    expect(failure.message).toBe('Microsoft Graph answered 503');
    expect(failure.retryAfterSeconds).toBeNull();
  });

  it('network failure: Microsoft Graph could not be reached', async () => {
    tokenEndpoint();
    graph(ALICE_LOOKUP, () => {
      throw new TypeError('Network connection lost.');
    });
    const failure = await failureOf(entraDirectory(profile).findUser('alice@contoso.com'));
    expect(failure.message).toBe('Microsoft Graph could not be reached: Network connection lost.');
  });

  it('every request gives up after 5 s: Microsoft Graph did not answer within 5 s', async () => {
    tokenEndpoint();
    const timeout = vi.spyOn(AbortSignal, 'timeout').mockImplementation(() => AbortSignal.abort(new DOMException('The operation timed out.', 'TimeoutError')));
    const signals: AbortSignal[] = [];
    graph(ALICE_LOOKUP, (request) => {
      signals.push(request.signal);
      request.signal.throwIfAborted();
      return json({ value: [] });
    });
    const failure = await failureOf(entraDirectory(profile).findUser('alice@contoso.com'));
    expect(failure.message).toBe('Microsoft Graph did not answer within 5 s');
    expect(signals[0]?.aborted).toBe(true);
    // Once for the token request, once for the Graph request.
    expect(timeout.mock.calls).toEqual([[5000], [5000]]);
  });

  it('the token endpoint unreachable: Entra ID could not be reached', async () => {
    fakeEndpoint(TOKEN_URL, async () => {
      throw new TypeError('Network connection lost.');
    });
    const failure = await failureOf(entraDirectory(profile).findUser('alice@contoso.com'));
    expect(failure.message).toBe('Entra ID could not be reached: Network connection lost.');
  });
});
