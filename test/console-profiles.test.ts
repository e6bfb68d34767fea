import { beforeAll, describe, expect, it } from 'vitest';
import { MESSAGE_MAX_LENGTH } from '../src/domain/constants';
import { editorForm } from './profile-editor-form';
import { ldapProfileSchema } from '../src/domain/directory-config';
import * as z from '../src/domain/zod';
import { insertEntraProfile, insertLdapProfile } from '../src/store/directory';
import { findProfile } from '../src/store/profiles';
import { db } from './admin-client';
import { browserAs, controlAttribute, controlTag, countTestIds, fieldError, testIdText, textareaValue, type Browser } from './console-client';
import { seedProfile, seedToken } from './support';

let admin: Browser;
let reader: Browser;
beforeAll(async () => {
  admin = await browserAs('admin');
  reader = await browserAs('user');
  await seedProfile('zeta');
  await seedProfile('alpha');
  for (const name of ['corp', 'partners']) await seedLdapProfile(name);
  for (const name of ['tenant-a', 'tenant-b']) await seedEntraProfile(name);
});

/** Repository profiles to choose from; their credentials are never used here. */
const seedLdapProfile = (name: string) =>
  insertLdapProfile(db(), {
    ...z.omit(ldapProfileSchema, { bindPassword: true }).parse({ name, url: 'ldaps://ldap.example.com', bindDn: 'cn=reader', baseDn: 'dc=example', userFilter: '(uid={id})' }),
    bindPasswordSealed: 'unused',
  });
const seedEntraProfile = (name: string) =>
  insertEntraProfile(db(), { name, tenantId: 'contoso.onmicrosoft.com', clientId: '00000000-0000-0000-0000-000000000001', clientSecretSealed: 'unused' });

/** The repositories listed in a chooser, in the order shown, with whether each is ticked. */
const chooserRows = (html: string, kind: 'ldap' | 'entra') =>
  [...html.matchAll(new RegExp(`data-testid="repository-${kind}" data-name="([^"]+)"><input type="checkbox"([^>]*)>`, 'g'))].map((m) => `${m[1]}${/ checked=""/.test(m[2] ?? '') ? ' ✓' : ''}`);

const profileNames = (html: string) => [...html.matchAll(/data-testid="profile-row" data-profile="([^"]+)"/g)].map((m) => m[1]);


describe('the profile list', () => {
  it('is sorted by name ascending, and descending from the sortable header', async () => {
    const ascending = await admin.get('/admin/profiles');
    expect(ascending.status).toBe(200);
    expect(ascending.headers.get('cache-control')).toBe('no-store');
    const html = await ascending.text();
    const names = profileNames(html);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['alpha', 'default', 'zeta']));
    expect(html).toContain('aria-sort="ascending"');
    expect(html).toContain('href="/admin/profiles?sort=desc"');

    const descending = await (await admin.get('/admin/profiles?sort=desc')).text();
    expect(profileNames(descending)).toEqual([...names].reverse());
    expect(descending).toContain('aria-sort="descending"');
    expect(descending).toContain('href="/admin/profiles?sort=asc"');
  });

  it('shows each full endpoint URL with a copy button, and marks the default', async () => {
    const html = await (await admin.get('/admin/profiles')).text();
    expect(html).toContain('<code data-testid="profile-endpoint">http://localhost/api/sfwa/auth</code>');
    expect(html).toContain('<code data-testid="profile-endpoint">http://localhost/api/sfwa/auth/alpha</code>');
    expect(html).toContain('data-copy="http://localhost/api/sfwa/auth/alpha"');
    expect(countTestIds(html, 'default-mark')).toBe(1);
    const defaultRow = /data-profile="default"[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(defaultRow).toContain('data-testid="default-mark"');
  });

  it('gives an administrator Edit for every profile and Delete for all but the default', async () => {
    const html = await (await admin.get('/admin/profiles')).text();
    const rows = profileNames(html).length;
    expect(countTestIds(html, 'edit-profile')).toBe(rows);
    expect(countTestIds(html, 'delete-profile')).toBe(rows - 1);
    const defaultRow = /data-profile="default"[\s\S]*?<\/tr>/.exec(html)?.[0] ?? '';
    expect(defaultRow).not.toContain('delete-profile');
    expect(countTestIds(html, 'new-profile')).toBe(1);
  });

  it('shows a read-only user no controls that change things', async () => {
    const html = await (await reader.get('/admin/profiles')).text();
    expect(profileNames(html).length).toBeGreaterThan(0);
    for (const control of ['new-profile', 'edit-profile', 'delete-profile']) expect(countTestIds(html, control)).toBe(0);
    expect(html).not.toContain('<th scope="col">Action</th>');
  });
});

describe('creating a profile with the form', () => {
  it('offers the seed defaults and no API token tab', async () => {
    const html = await (await admin.get('/admin/profiles/new')).text();
    expect(controlAttribute(html, 'profile-plusActivationLinks', 'checked')).toBe('');
    expect(controlAttribute(html, 'profile-usePlusIfActivated', 'checked')).toBe('');
    expect(controlAttribute(html, 'profile-assistedLogin-useLocalDatabase', 'checked')).toBeNull();
    expect(controlAttribute(html, 'profile-name', 'maxlength')).toBe('255');
    expect(controlAttribute(html, 'profile-touchMessages-smsText', 'maxlength')).toBe('20');
    expect(controlAttribute(html, 'profile-assistedMessages-authenticationText', 'maxlength')).toBe('1024');
    expect(controlAttribute(html, 'profile-name', 'data-name-check')).toBe('/admin/api/profile-name-check');
    for (const panel of ['general', 'assisted-login', 'user-messages', 'rate-limits']) expect(html).toContain(`data-testid="panel-${panel}"`);
    expect(html).not.toContain('data-testid="panel-api-tokens"');
  });

  it('saves it and redirects (303) to its editor with a message', async () => {
    const response = await admin.post(
      '/admin/profiles/new',
      editorForm({
        name: 'webshop',
        usePlusIfActivated: undefined,
        'touchMessages.smsText': 'Sign in?',
        // Ticked in the order the numbers give, not the order on the page.
        'ldap:partners': 'on',
        'ldap-order:partners': '2',
        'ldap:corp': 'on',
        'ldap-order:corp': '1',
      }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles/webshop');
    const saved = await findProfile(db(), 'webshop');
    expect(saved).toMatchObject({
      plusActivationLinks: true,
      usePlusIfActivated: false,
      touchMessages: { smsText: 'Sign in?' },
      assistedLogin: { ldapProfiles: ['corp', 'partners'], profile: null },
    });
    const page = await admin.follow(response);
    const html = await page.text();
    expect(testIdText(html, 'flash')).toContain('Profile “webshop” created');
    expect(html).toContain('data-testid="panel-api-tokens"');
    expect(chooserRows(html, 'ldap')).toEqual(['corp ✓', 'partners ✓']);
    expect(chooserRows(html, 'entra')).toEqual(['tenant-a', 'tenant-b']);
    // The flash is shown once.
    expect(testIdText(await (await admin.get('/admin/profiles/webshop')).text(), 'flash')).toBeNull();
  });

  it('refuses a taken name with 400, the error beside the name, and every typed value kept', async () => {
    const response = await admin.post(
      '/admin/profiles/new',
      editorForm({
        name: 'alpha',
        plusActivationLinks: undefined,
        'touchMessages.titleText': 'Hello "there" <you>',
        'assistedMessages.touchRejectedText': 'Rejected.\nSorry.',
        'rateLimit.perMinute': '5',
        'entra:tenant-b': 'on',
        'entra-order:tenant-b': '1',
      }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'profile-name')).toBe('Is already taken');
    expect(controlAttribute(html, 'profile-name', 'aria-invalid')).toBe('true');
    expect(controlAttribute(html, 'profile-name', 'aria-describedby')).toContain('profile-name-error');
    expect(controlAttribute(html, 'profile-name', 'value')).toBe('alpha');
    expect(controlAttribute(html, 'profile-touchMessages-titleText', 'value')).toBe('Hello "there" <you>');
    expect(textareaValue(html, 'profile-assistedMessages-touchRejectedText')).toBe('Rejected.\nSorry.');
    expect(chooserRows(html, 'entra')).toEqual(['tenant-b ✓', 'tenant-a']);
    expect(controlAttribute(html, 'profile-rateLimit-perMinute', 'value')).toBe('5');
    // An unticked box stays unticked; a ticked one stays ticked.
    expect(controlAttribute(html, 'profile-plusActivationLinks', 'checked')).toBeNull();
    expect(controlAttribute(html, 'profile-usePlusIfActivated', 'checked')).toBe('');
    expect(testIdText(html, 'error-summary')).toContain('Name: is already taken');
  });

  it('refuses an SMS text of 21 characters beside that field, and saves nothing', async () => {
    const response = await admin.post('/admin/profiles/new', editorForm({ name: 'too-long', 'assistedMessages.smsText': 'x'.repeat(21) }));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'profile-assistedMessages-smsText')).toBe('Must be at most 20 characters');
    expect(controlAttribute(html, 'profile-assistedMessages-smsText', 'aria-invalid')).toBe('true');
    expect(controlAttribute(html, 'profile-assistedMessages-smsText', 'value')).toBe('x'.repeat(21));
    expect(fieldError(html, 'profile-name')).toBeNull();
    expect(await findProfile(db(), 'too-long')).toBeNull();
  });

  it('names every invalid field at once: name, rate limits, list lines', async () => {
    const response = await admin.post(
      '/admin/profiles/new',
      editorForm({ name: 'bad name', 'rateLimit.perMinute': '', 'rateLimit.perHour': '0', 'ldap:corp': 'on', [`ldap:${'l'.repeat(256)}`]: 'on' }),
    );
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'profile-name')).toContain('May contain only letters');
    expect(fieldError(html, 'profile-rateLimit-perMinute')).toBe('Must be a whole number');
    expect(fieldError(html, 'profile-rateLimit-perHour')).toBe('Must be at least 1');
    expect(fieldError(html, 'profile-assistedLogin-ldapProfiles')).toBe('Line 2: must be at most 255 characters');
  });

  it('is for administrators: a read-only user gets 403 and nothing is saved', async () => {
    expect((await reader.get('/admin/profiles/new')).status).toBe(403);
    const response = await reader.post('/admin/profiles/new', editorForm({ name: 'readers-profile' }));
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await findProfile(db(), 'readers-profile')).toBeNull();
  });

  it('from another site is refused with 403, and nothing is saved', async () => {
    const response = await admin.post('/admin/profiles/new', editorForm({ name: 'forged' }), { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
    expect(await findProfile(db(), 'forged')).toBeNull();
  });
});

describe('editing a profile with the form', () => {
  it('shows the stored values and saves changed messages', async () => {
    await seedProfile('messages', { touchMessages: { titleText: 'Old title', smsText: 'Old', buttonAcceptText: '', buttonRejectText: '', authenticationText: '', touchAcceptedText: '', touchRejectedText: '' } });
    const before = await (await admin.get('/admin/profiles/messages')).text();
    expect(controlAttribute(before, 'profile-touchMessages-titleText', 'value')).toBe('Old title');
    expect(controlAttribute(before, 'profile-name', 'data-original')).toBe('messages');

    const response = await admin.post(
      '/admin/profiles/messages',
      editorForm({ name: 'messages', 'touchMessages.titleText': 'New title', 'touchMessages.smsText': 'Log in', 'assistedMessages.authenticationText': 'An approver will check.' }),
    );
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles/messages');
    expect(testIdText(await (await admin.follow(response)).text(), 'flash')).toBe('Profile “messages” saved.');
    expect(await findProfile(db(), 'messages')).toMatchObject({
      touchMessages: { titleText: 'New title', smsText: 'Log in' },
      assistedMessages: { authenticationText: 'An approver will check.' },
    });
  });

  it('switches the response dialect to Mideye Server, and refuses an unknown one beside the field', async () => {
    await seedProfile('dialect-switch');
    const before = await (await admin.get('/admin/profiles/dialect-switch')).text();
    expect(before).toMatch(/<option value="cloud" selected="">Cloud API/);
    expect(before).toContain('<option value="server">Mideye Server');

    const saved = await admin.post('/admin/profiles/dialect-switch', editorForm({ name: 'dialect-switch', dialect: 'server' }));
    expect(saved.status).toBe(303);
    expect(await findProfile(db(), 'dialect-switch')).toMatchObject({ dialect: 'server' });
    expect(await (await admin.follow(saved)).text()).toMatch(/<option value="server" selected="">Mideye Server/);

    const refused = await admin.post('/admin/profiles/dialect-switch', editorForm({ name: 'dialect-switch', dialect: 'other' }));
    expect(refused.status).toBe(400);
    expect(fieldError(await refused.text(), 'profile-dialect')).toBe('Must be one of: cloud, server');
    expect(await findProfile(db(), 'dialect-switch')).toMatchObject({ dialect: 'server' });
  });

  it('sets how long "This wasn\'t me" blocks a number, refusing a negative or too long period beside the field', async () => {
    await seedProfile('block-period');
    expect(controlAttribute(await (await admin.get('/admin/profiles/block-period')).text(), 'profile-unexpectedBlockMinutes', 'value')).toBe('60');
    const saved = await admin.post('/admin/profiles/block-period', editorForm({ name: 'block-period', unexpectedBlockMinutes: '0' }));
    expect(saved.status).toBe(303);
    expect(await findProfile(db(), 'block-period')).toMatchObject({ unexpectedBlockMinutes: 0 });
    for (const [value, message] of [['-5', 'Must be 0 (off) or more'], ['10081', 'Must be at most 10080 (7 days)'], ['1.5', 'Must be a whole number of minutes']]) {
      const refused = await admin.post('/admin/profiles/block-period', editorForm({ name: 'block-period', unexpectedBlockMinutes: value }));
      expect(refused.status).toBe(400);
      expect(fieldError(await refused.text(), 'profile-unexpectedBlockMinutes')).toBe(message);
    }
    expect(await findProfile(db(), 'block-period')).toMatchObject({ unexpectedBlockMinutes: 0 });
  });

  it('refuses a per-minute limit above the per-hour limit beside it, saving nothing', async () => {
    await seedProfile('limits', { rateLimit: { perMinute: 2, perHour: 5 } });
    const response = await admin.post('/admin/profiles/limits', editorForm({ name: 'limits', 'rateLimit.perMinute': '9', 'rateLimit.perHour': '5', plusActivationLinks: undefined }));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'profile-rateLimit-perMinute')).toBe('Must not exceed the per-hour limit');
    expect(controlAttribute(html, 'profile-rateLimit-perMinute', 'value')).toBe('9');
    expect(await findProfile(db(), 'limits')).toMatchObject({ plusActivationLinks: true, rateLimit: { perMinute: 2, perHour: 5 } });
  });

  it('renames a profile and redirects to its new address', async () => {
    await seedProfile('before-rename');
    const response = await admin.post('/admin/profiles/before-rename', editorForm({ name: 'after-rename' }));
    expect(response.headers.get('location')).toBe('/admin/profiles/after-rename');
    expect(await findProfile(db(), 'before-rename')).toBeNull();
  });

  it('keeps the default profile name read-only and offers no Delete for it', async () => {
    const html = await (await admin.get('/admin/profiles/default')).text();
    expect(controlAttribute(html, 'profile-name', 'readonly')).toBe('');
    expect(html).not.toContain('data-testid="delete-profile"');
    const renamed = await admin.post('/admin/profiles/default', editorForm({ name: 'main' }));
    expect(renamed.status).toBe(400);
    expect(fieldError(await renamed.text(), 'profile-name')).toBe('The default profile cannot be renamed');
  });

  it('shows a read-only user the values read-only, without Save, and refuses their POST with 403', async () => {
    await seedProfile('readable', { plusActivationLinks: false });
    const html = await (await reader.get('/admin/profiles/readable')).text();
    expect(controlAttribute(html, 'profile-name', 'readonly')).toBe('');
    expect(controlAttribute(html, 'profile-touchMessages-smsText', 'readonly')).toBe('');
    expect(controlAttribute(html, 'profile-usePlusIfActivated', 'disabled')).toBe('');
    expect(html).not.toContain('data-testid="save-profile"');
    expect(html).not.toContain('data-testid="create-token-form"');
    expect(html).not.toContain('data-testid="delete-profile"');
    expect(html).toContain('data-testid="read-only-notice"');

    const response = await reader.post('/admin/profiles/readable', editorForm({ name: 'readable', plusActivationLinks: 'on' }));
    expect(response.status).toBe(403);
    expect(await findProfile(db(), 'readable')).toMatchObject({ plusActivationLinks: false });
  });

  it('answers 404 for an unknown profile name', async () => {
    const response = await admin.get('/admin/profiles/nowhere');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('No profile named');
    expect((await admin.post('/admin/profiles/nowhere', editorForm({ name: 'nowhere' }))).status).toBe(404);
  });

  it('edits a profile named "new" at its own address', async () => {
    await seedProfile('new');
    const list = await (await admin.get('/admin/profiles')).text();
    expect(list).toContain('href="/admin/profiles/new/edit"');
    const html = await (await admin.get('/admin/profiles/new/edit')).text();
    expect(controlAttribute(html, 'profile-name', 'value')).toBe('new');
    const response = await admin.post('/admin/profiles/new/edit', editorForm({ name: 'new', 'touchMessages.smsText': 'Hi' }));
    expect(response.status).toBe(303);
    expect(await findProfile(db(), 'new')).toMatchObject({ touchMessages: { smsText: 'Hi' } });
  });
});

describe('deleting a profile with the form', () => {
  it('asks on a confirmation page, then deletes it with its tokens', async () => {
    await seedProfile('doomed');
    await seedToken({ profile: 'doomed', name: 'doomed-app' });
    const confirm = await admin.get('/admin/profiles/doomed/delete');
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('Its API token is deleted with it');
    expect(html).toContain('<form method="post" action="/admin/profiles/doomed/delete"');
    expect(await findProfile(db(), 'doomed')).not.toBeNull();

    const response = await admin.post('/admin/profiles/doomed/delete');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles');
    expect(testIdText(await (await admin.follow(response)).text(), 'flash')).toContain('Profile “doomed” deleted');
    expect(await findProfile(db(), 'doomed')).toBeNull();
  });

  it('refuses the default profile, and a read-only user', async () => {
    expect((await admin.post('/admin/profiles/default/delete')).status).toBe(400);
    expect(await findProfile(db(), 'default')).not.toBeNull();
    await seedProfile('kept');
    expect((await reader.get('/admin/profiles/kept/delete')).status).toBe(403);
    expect((await reader.post('/admin/profiles/kept/delete')).status).toBe(403);
    expect(await findProfile(db(), 'kept')).not.toBeNull();
  });
});

describe('the Abuse protection tab', () => {
  it('shows a new profile following the deployment default, with its countries ticked', async () => {
    const html = await (await admin.get('/admin/profiles/new')).text();
    expect(html).toContain('data-testid="panel-abuse-protection"');
    expect(controlTag(html, 'profile-allowedCountriesMode-default')).toContain('checked');
    expect(controlTag(html, 'country-SE')).toContain('checked');
    expect(controlTag(html, 'country-US')).not.toContain('checked');
    expect(testIdText(html, 'every-country-warning')).toBeNull();
    expect(controlAttribute(html, 'profile-smsBudget-perHour', 'value')).toBe('500');
  });

  it('saves only the ticked countries, and shows them ticked again', async () => {
    const response = await admin.post('/admin/profiles/new', editorForm({ name: 'nordic', allowedCountriesMode: 'list', 'allowedCountries.SE': 'on', 'allowedCountries.NO': 'on' }));
    expect(response.status).toBe(303);
    expect((await findProfile(db(), 'nordic'))?.allowedCountries).toEqual(['NO', 'SE']);
    const html = await (await admin.get('/admin/profiles/nordic')).text();
    expect(controlTag(html, 'profile-allowedCountriesMode-list')).toContain('checked');
    expect(controlTag(html, 'country-NO')).toContain('checked');
    expect(controlTag(html, 'country-FI')).not.toContain('checked');
  });

  it('refuses "only these" with nothing ticked beside the field, and saves nothing', async () => {
    const response = await admin.post('/admin/profiles/new', editorForm({ name: 'no-countries', allowedCountriesMode: 'list' }));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'profile-allowedCountries')).toContain('at least one country');
    expect(await findProfile(db(), 'no-countries')).toBeNull();
  });

  it('saves "every country" as [] and warns about it', async () => {
    expect((await admin.post('/admin/profiles/new', editorForm({ name: 'worldwide', allowedCountriesMode: 'all' }))).status).toBe(303);
    expect((await findProfile(db(), 'worldwide'))?.allowedCountries).toEqual([]);
    const html = await (await admin.get('/admin/profiles/worldwide')).text();
    expect(testIdText(html, 'every-country-warning')).toContain('Every country is allowed');
  });

  it('saves the SMS budget, and refuses one whose hour exceeds its day beside the field', async () => {
    expect((await admin.post('/admin/profiles/new', editorForm({ name: 'budgeted', 'smsBudget.perHour': '20', 'smsBudget.perDay': '100' }))).status).toBe(303);
    expect((await findProfile(db(), 'budgeted'))?.smsBudget).toEqual({ perHour: 20, perDay: 100 });
    const refused = await admin.post('/admin/profiles/budgeted', editorForm({ name: 'budgeted', 'smsBudget.perHour': '200', 'smsBudget.perDay': '100' }));
    expect(refused.status).toBe(400);
    expect(fieldError(await refused.text(), 'profile-smsBudget-perHour')).toContain('per-day');
    expect((await findProfile(db(), 'budgeted'))?.smsBudget).toEqual({ perHour: 20, perDay: 100 });
  });
});
