/**
 * Assisted login through the public API, against the real OpenLDAP server (test/ldap/global-setup.ts)
 * and the real local D1 user database; SMS faked at the fetch boundary.
 */
import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { assistedLoginProfileSchema, type AssistedLoginProfileInput } from '../src/domain/assisted-login';
import { clearDirectoryCache } from '../src/directory/repositories';
import { sealDirectorySecret } from '../src/security/directory-secrets';
import { directoryUserRow, insertAssistedLoginProfile, insertDirectoryUser, insertLdapProfile } from '../src/store/directory';
import { authLog } from '../src/store/schema';
import { eq } from 'drizzle-orm';
import { db, decideLink, fakeSmsProvider, seedProfile, seedToken } from './support';

const PHONES = { alice: '+46701110001', bob: '+46701110002', maria: '+46701110003', hank: '+46701110004', helen: '+46701110005', ted: '+46701110006', tina: '+46701110007' };
let sequence = 0;

beforeEach(() => clearDirectoryCache());
afterEach(() => vi.restoreAllMocks());

async function seedLdap(overrides: { url?: string; bindPassword?: string; startTls?: boolean } = {}) {
  const name = `corp-${++sequence}`;
  await insertLdapProfile(db(), {
    name,
    url: overrides.url ?? env.TEST_LDAP_URL,
    startTls: overrides.startTls ?? false,
    bindDn: 'cn=sfwa-reader,dc=example,dc=test',
    bindPasswordSealed: await sealDirectorySecret(env, overrides.bindPassword ?? 'reader-secret'),
    baseDn: 'dc=example,dc=test',
    userFilter: '(&(objectClass=inetOrgPerson)(uid={id}))',
    phoneAttribute: 'mobile',
    displayNameAttribute: 'displayName',
    groupAttribute: 'memberOf',
    managerAttribute: 'manager',
    timeoutSeconds: 2,
  });
  return name;
}

/** An endpoint with assisted login over the given repositories; returns its name and an api-key. */
async function seedAssistedEndpoint(
  rule: Partial<AssistedLoginProfileInput>,
  repositories: { ldap?: string[]; local?: boolean } = {},
  settings: Parameters<typeof seedProfile>[1] = {},
) {
  const assisted = await insertAssistedLoginProfile(db(), assistedLoginProfileSchema.parse({ name: `helpdesk-rule-${++sequence}`, ...rule }));
  const endpoint = `assisted-${++sequence}`;
  await seedProfile(endpoint, {
    assistedLogin: { profile: assisted.name, useLocalDatabase: repositories.local ?? false, ldapProfiles: repositories.ldap ?? [], entraProfiles: [] },
    rateLimit: { perMinute: 1000, perHour: 1000 },
    ...settings,
  });
  return { endpoint, apiKey: await seedToken({ profile: endpoint }) };
}

const call = (apiKey: string, endpoint: string, body: Record<string, unknown>) =>
  SELF.fetch(`http://localhost/api/sfwa/auth/${endpoint}`, { method: 'POST', headers: { 'api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify(body) });

const fieldError = async (response: Response) => {
  const body = await response.json<{ code: string; errors?: Array<{ field: string; message: string }> }>();
  return { status: response.status, code: body.code, errors: body.errors ?? [] };
};

describe('assisted login against a real LDAP directory', () => {
  it('asks only the approver the user named; the approver sees who asks, accepts, and the answer names them', async () => {
    const sms = fakeSmsProvider();
    const { endpoint, apiKey } = await seedAssistedEndpoint({ approverGroups: ['helpdesk'] }, { ldap: [await seedLdap()] });
    const answer = call(apiKey, endpoint, { username: 'alice', approver: 'hank' });
    const message = await sms.nextSms();
    expect(message.form.get('to')).toBe(PHONES.hank);
    // Swedish number, Swedish built-in text, naming the user by the notification attribute (displayName).
    expect(message.form.get('message')).toMatch(/^Alice Andersson ber dig godkänna en inloggning: http:\/\/localhost\/l\//);
    const page = await (await SELF.fetch(message.link, { headers: { 'accept-language': 'en' } })).text();
    expect(page).toContain('Approve a sign-in for Alice Andersson');
    expect(page).toContain(`Alice Andersson is signing in to ${endpoint} and needs your approval.`);
    expect(page).not.toContain('value="report"');
    expect((await decideLink(message.link, 'accept')).status).toBe(200);
    const response = await answer;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: 'ACCEPT', channel: 'sms', approver: 'hank', receipt: expect.any(String) });
    expect(sms.sent).toHaveLength(1);
  });

  it('without a named approver asks every allowed one at once; the first answer wins and the other link stops working', async () => {
    const sms = fakeSmsProvider();
    const { endpoint, apiKey } = await seedAssistedEndpoint({ approverGroups: ['helpdesk'] }, { ldap: [await seedLdap()] });
    const answer = call(apiKey, endpoint, { username: 'alice' });
    const first = await sms.nextSms();
    const second = await sms.nextSms();
    expect([first.form.get('to'), second.form.get('to')].sort()).toEqual([PHONES.hank, PHONES.helen]);
    const helens = first.form.get('to') === PHONES.helen ? first : second;
    const hanks = helens === first ? second : first;
    await decideLink(helens.link, 'reject');
    expect(await (await answer).json()).toEqual({ code: 'REJECT', channel: 'sms', approver: 'helen', receipt: expect.any(String) });
    expect((await SELF.fetch(hanks.link)).status).toBe(410);
  });

  it('records the user, the approver who answered and the approver number in the authentication log', async () => {
    const sms = fakeSmsProvider();
    const { endpoint, apiKey } = await seedAssistedEndpoint({ managerApproves: true }, { ldap: [await seedLdap()] });
    const answer = call(apiKey, endpoint, { username: 'bob' });
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await answer).json()).toMatchObject({ code: 'ACCEPT', approver: 'maria' });
    await vi.waitFor(async () => {
      const [row] = await db().select().from(authLog).where(eq(authLog.profileName, endpoint));
      expect(row).toMatchObject({ outcome: 'ACCEPT', assistedUser: 'bob', approver: 'maria', msisdnMasked: '+4670*****03' });
    });
  });

  it.each<[string, Partial<AssistedLoginProfileInput>, string, keyof typeof PHONES, string]>([
    ['the manager', { managerApproves: true }, 'bob', 'maria', 'hank'],
    ['listed identities', { approverIdentities: ['ted'] }, 'alice', 'ted', 'maria'],
    ['a team group: the "*" part of the user group names the approver group', { groupsMatchingPartInCn: true, userGroups: ['team-*-users'], approverGroups: ['team-*-approvers'] }, 'bob', 'tina', 'ted'],
  ])('lets %s approve, and refuses anyone else on the field approver', async (_rule, rule, user, allowed, refused) => {
    const sms = fakeSmsProvider();
    const { endpoint, apiKey } = await seedAssistedEndpoint(rule, { ldap: [await seedLdap()] });
    const refusal = await fieldError(await call(apiKey, endpoint, { username: user, approver: refused }));
    expect(refusal).toEqual({ status: 400, code: 'BAD_REQUEST', errors: [{ field: 'approver', message: "may not approve this user's sign-in" }] });
    expect(sms.sent).toHaveLength(0);
    const answer = call(apiKey, endpoint, { username: user, approver: allowed });
    const message = await sms.nextSms();
    expect(message.form.get('to')).toBe(PHONES[allowed]);
    await decideLink(message.link, 'accept');
    expect(await (await answer).json()).toMatchObject({ code: 'ACCEPT', approver: allowed });
  });

  it('finds the user by their phone number, as the directory holds it (spaces and dashes)', async () => {
    const sms = fakeSmsProvider();
    const { endpoint, apiKey } = await seedAssistedEndpoint({ managerApproves: true }, { ldap: [await seedLdap()] });
    const answer = call(apiKey, endpoint, { msisdn: PHONES.bob });
    const message = await sms.nextSms();
    expect(message.form.get('to')).toBe(PHONES.maria);
    expect(message.form.get('message')).toContain('Bob Berg');
    await decideLink(message.link, 'accept');
    expect(await (await answer).json()).toMatchObject({ code: 'ACCEPT', approver: 'maria' });
  });

  it('treats filter syntax in ids as literal text: no wildcard, no injected clause', async () => {
    const sms = fakeSmsProvider();
    const { endpoint, apiKey } = await seedAssistedEndpoint({ approverGroups: ['helpdesk'] }, { ldap: [await seedLdap()] });
    for (const username of ['al*', '*', 'alice)(uid=*', 'alice)(|(uid=*']) {
      expect(await fieldError(await call(apiKey, endpoint, { username }))).toEqual({
        status: 400,
        code: 'BAD_REQUEST',
        errors: [{ field: 'username', message: "no such user in the endpoint's user repositories" }],
      });
    }
    expect(await fieldError(await call(apiKey, endpoint, { username: 'alice', approver: 'h*' }))).toMatchObject({ errors: [{ field: 'approver' }] });
    // A uid that really holds a "*" is found as the literal text it is.
    const answer = call(apiKey, endpoint, { username: 'star*', approver: 'hank' });
    expect((await sms.nextSms()).form.get('message')).toContain('Literal Star');
    expect(await fieldError(await call(apiKey, endpoint, { username: 'ali\u0000ce' }))).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
      errors: [{ field: 'username', message: 'must not contain control characters' }],
    });
    await decideLink(sms.sent[0]!.link, 'reject');
    expect(await (await answer).json()).toMatchObject({ code: 'REJECT' });
  });

  it('refuses users the profile does not serve, and says when no allowed approver has a phone', async () => {
    fakeSmsProvider();
    const ldap = await seedLdap();
    const staffOnly = await seedAssistedEndpoint({ approverGroups: ['helpdesk'], userGroups: ['staff'] }, { ldap: [ldap] });
    expect(await fieldError(await call(staffOnly.apiKey, staffOnly.endpoint, { username: 'hank' }))).toMatchObject({ status: 400, errors: [{ field: 'username', message: expect.stringContaining('is not served by') }] });
    const managerOnly = await seedAssistedEndpoint({ managerApproves: true }, { ldap: [ldap] });
    // sam's manager, nora, has no mobile number.
    expect(await fieldError(await call(managerOnly.apiKey, managerOnly.endpoint, { username: 'sam' }))).toMatchObject({
      status: 400,
      errors: [{ field: 'approver', message: expect.stringContaining('has a mobile number') }],
    });
    expect(await fieldError(await call(managerOnly.apiKey, managerOnly.endpoint, { username: 'sam', approver: 'nora' }))).toMatchObject({
      errors: [{ field: 'approver', message: 'has no mobile number in the directory, so cannot be asked' }],
    });
  });

  it.each([
    ['refuses the bind', () => seedLdap({ bindPassword: 'wrong' })],
    ['cannot be reached', () => seedLdap({ url: 'ldap://127.0.0.1:1' })],
    ['offers only a certificate a Worker does not trust (LDAPS)', () => seedLdap({ url: env.TEST_LDAPS_URL })],
    ['offers only a certificate a Worker does not trust (StartTLS)', () => seedLdap({ startTls: true })],
  ])('answers 503 DIRECTORY_UNAVAILABLE at once when the directory %s, and sends nothing', async (_why, ldap) => {
    const sms = fakeSmsProvider();
    const errors = vi.spyOn(console, 'error');
    const { endpoint, apiKey } = await seedAssistedEndpoint({ approverGroups: ['helpdesk'] }, { ldap: [await ldap()] });
    const startedMs = Date.now();
    const response = await call(apiKey, endpoint, { username: 'alice' });
    expect(Date.now() - startedMs).toBeLessThan(4000);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'DIRECTORY_UNAVAILABLE' });
    expect(sms.sent).toHaveLength(0);
    // The reason is in the log, never the password.
    const logged = errors.mock.calls.map((args) => args.join(' ')).join('\n');
    expect(logged).toContain('assisted.directory_unavailable');
    expect(logged).not.toContain('reader-secret');
  });

  it('answers the server dialect exactly as Mideye Server: only the code', async () => {
    const sms = fakeSmsProvider();
    const { endpoint, apiKey } = await seedAssistedEndpoint({ approverGroups: ['helpdesk'] }, { ldap: [await seedLdap()] }, { dialect: 'server' });
    const answer = call(apiKey, endpoint, { username: 'alice', approver: 'helen' });
    await decideLink((await sms.nextSms()).link, 'accept');
    expect(await (await answer).json()).toEqual({ code: 'TOUCH_ACCEPTED' });
  });

  it("uses the profile's Assisted Login Messages with {user} and {endpoint}; request texts still override", async () => {
    const sms = fakeSmsProvider();
    const { endpoint, apiKey } = await seedAssistedEndpoint(
      { approverGroups: ['helpdesk'] },
      { ldap: [await seedLdap()] },
      { assistedMessages: { titleText: '{user} at {endpoint}', smsText: 'For {user}:', buttonAcceptText: '', buttonRejectText: '', authenticationText: '', touchAcceptedText: '', touchRejectedText: '' } },
    );
    const first = call(apiKey, endpoint, { username: 'alice', approver: 'hank' });
    const message = await sms.nextSms();
    expect(message.form.get('message')).toMatch(/^For Alice Andersson: /);
    expect(await (await SELF.fetch(message.link)).text()).toContain(`<h1>Alice Andersson at ${endpoint}</h1>`);
    await decideLink(message.link, 'accept');
    await first;
    const second = call(apiKey, endpoint, { username: 'alice', approver: 'hank', 'sms-text': 'Hi, {user}!' });
    const overridden = await sms.nextSms();
    expect(overridden.form.get('message')).toMatch(/^Hi, Alice Andersson! /);
    await decideLink(overridden.link, 'reject');
    await second;
  });
});

describe('assisted login with the local user database', () => {
  async function seedLocalUser(user: { username: string; displayName?: string; phone?: string | null; groups?: string[]; manager?: string | null }) {
    const row = await directoryUserRow(env, { displayName: '', email: '', groups: [], manager: null, phone: null, ...user });
    return insertDirectoryUser(db(), { ...row, username: user.username, usernameKey: user.username.toLowerCase() });
  }

  it('finds users and approvers in D1; nobody approves their own sign-in; the toll-fraud guard and rate limit apply to the approver', async () => {
    const sms = fakeSmsProvider();
    await seedLocalUser({ username: 'lee', displayName: 'Lee Local', phone: '+46701119001', groups: ['desk'] });
    await seedLocalUser({ username: 'pat', displayName: 'Pat Partner', phone: '+46701119002', groups: ['desk'] });
    await seedLocalUser({ username: 'abroad', displayName: 'Ann Abroad', phone: '+12025550123', groups: ['desk'] });
    const { endpoint, apiKey } = await seedAssistedEndpoint({ approverGroups: ['desk'] }, { local: true }, { rateLimit: { perMinute: 1, perHour: 10 } });
    expect(await fieldError(await call(apiKey, endpoint, { username: 'lee', approver: 'lee' }))).toMatchObject({ errors: [{ field: 'approver', message: "may not approve this user's sign-in" }] });
    expect(await fieldError(await call(apiKey, endpoint, { username: 'lee', approver: 'abroad' }))).toMatchObject({ status: 400, errors: [{ field: 'approver', message: expect.stringContaining('US') }] });

    const answer = call(apiKey, endpoint, { username: 'lee' });
    const message = await sms.nextSms();
    // Pat is asked; Ann's number is outside the allowed countries, so she is left out.
    expect(message.form.get('to')).toBe('+46701119002');
    expect(message.form.get('message')).toContain('Lee Local');
    await decideLink(message.link, 'accept');
    expect(await (await answer).json()).toEqual({ code: 'ACCEPT', channel: 'sms', approver: 'pat', receipt: expect.any(String) });
    // Pat's number has had its one request this minute.
    const limited = await call(apiKey, endpoint, { username: 'lee', approver: 'pat' });
    expect(limited.status).toBe(429);
    expect(sms.sent).toHaveLength(1);
  });

  it('refuses username and approver on an endpoint without assisted login', async () => {
    await seedProfile('plain-endpoint');
    const apiKey = await seedToken({ profile: 'plain-endpoint' });
    expect(await fieldError(await call(apiKey, 'plain-endpoint', { username: 'lee' }))).toEqual({
      status: 400,
      code: 'BAD_REQUEST',
      errors: [{ field: 'username', message: 'this endpoint has no assisted login: name the user by msisdn' }],
    });
  });

  it('asks for the user when neither username nor msisdn is given, and for one of them only', async () => {
    const { endpoint, apiKey } = await seedAssistedEndpoint({ approverGroups: ['desk'] }, { local: true });
    expect(await fieldError(await call(apiKey, endpoint, {}))).toMatchObject({ errors: [{ field: 'username', message: 'is required: name the user by username or msisdn' }] });
    expect(await fieldError(await call(apiKey, endpoint, { username: 'lee', msisdn: '+46701119001' }))).toMatchObject({
      errors: [{ field: 'msisdn', message: 'name the user by username or msisdn, not both' }],
    });
  });
});
