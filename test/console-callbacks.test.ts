/** The profile editor's Callbacks tab: the allowed callback hosts, and the callback secret shown once. */
import { beforeAll, describe, expect, it } from 'vitest';
import { findProfile } from '../src/store/profiles';
import { adminFetch, db, json } from './admin-client';
import { browserAs, controlAttribute, countTestIds, fieldError, testIdText, textareaValue, type Browser } from './console-client';
import { editorForm } from './profile-editor-form';
import { seedProfile } from './support';

let admin: Browser;
let reader: Browser;
beforeAll(async () => {
  admin = await browserAs('admin');
  reader = await browserAs('user');
  for (const name of ['hooks', 'refused', 'secret', 'readers']) await seedProfile(name);
});

const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** The profile as the admin JSON API shows it. */
const apiProfile = async (name: string) => json(await adminFetch('GET', `/profiles/${name}`, { cookie: admin.cookie }));

/** POSTs "Create (or Replace) callback secret" and returns the secret the page shows. */
async function createSecret(name: string): Promise<string> {
  const response = await admin.post(`/admin/profiles/${name}/callback-secret`);
  expect(response.status).toBe(201);
  expect(response.headers.get('cache-control')).toBe('no-store');
  return testIdText(await response.text(), 'created-callback-secret') ?? '';
}

describe('the allowed callback hosts', () => {
  it('are saved with the profile form, one per line, trimmed and lowercased, and shown again', async () => {
    const response = await admin.post('/admin/profiles/hooks', editorForm({ name: 'hooks', callbackHosts: '  Hooks.Example.COM \r\n\r\n*.Partner.example:8443\r\n' }));
    expect(response.status).toBe(303);
    expect((await apiProfile('hooks')).callbackHosts).toEqual(['hooks.example.com', '*.partner.example:8443']);
    const html = await (await admin.get('/admin/profiles/hooks')).text();
    expect(textareaValue(html, 'profile-callbackHosts')).toBe('hooks.example.com\n*.partner.example:8443');
    expect(html).toContain('data-testid="panel-callbacks"');
    expect(testIdText(html, 'callback-signature-format')).toContain('x-sfwa-signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>');
  });

  it('refuse a bad host beside the field, naming its line and host, and save nothing', async () => {
    await admin.post('/admin/profiles/refused', editorForm({ name: 'refused', callbackHosts: 'ok.example.com' }));
    const response = await admin.post('/admin/profiles/refused', editorForm({ name: 'refused', callbackHosts: 'a.example.com\n\nhttps://b.example.com/hook', 'rateLimit.perMinute': '5' }));
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(fieldError(html, 'profile-callbackHosts')).toBe('Line 3 (“https://b.example.com/hook”): must be a host name such as hooks.example.com, or *.example.com for its subdomains (no https:// and no path)');
    expect(controlAttribute(html, 'profile-callbackHosts', 'aria-invalid')).toBe('true');
    // What was typed stays in the field.
    expect(textareaValue(html, 'profile-callbackHosts')).toBe('a.example.com\n\nhttps://b.example.com/hook');
    expect(await findProfile(db(), 'refused')).toMatchObject({ callbackHosts: ['ok.example.com'], rateLimit: { perMinute: 3 } });
  });

  it('can be set when creating a profile, whose Callbacks tab asks to save it before making a secret', async () => {
    const form = await (await admin.get('/admin/profiles/new')).text();
    expect(testIdText(form, 'callback-secret-state')).toContain('Save the profile first');
    expect(countTestIds(form, 'create-callback-secret')).toBe(0);
    const response = await admin.post('/admin/profiles/new', editorForm({ name: 'created-with-hooks', callbackHosts: 'Hooks.Example.com' }));
    expect(response.status).toBe(303);
    expect((await apiProfile('created-with-hooks')).callbackHosts).toEqual(['hooks.example.com']);
  });
});

describe('the callback secret', () => {
  it('is created with a POST and shown once; the editor then shows when, never the secret', async () => {
    const before = await (await admin.get('/admin/profiles/secret')).text();
    expect(testIdText(before, 'callback-secret-state')).toBe('No callback secret yet');
    expect(countTestIds(before, 'create-callback-secret')).toBe(1);
    expect(countTestIds(before, 'delete-callback-secret')).toBe(0);

    const response = await admin.post('/admin/profiles/secret/callback-secret');
    expect(response.status).toBe(201);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const page = await response.text();
    const secret = testIdText(page, 'created-callback-secret') ?? '';
    expect(secret).toMatch(SECRET);
    expect(page).toContain('shown only once');
    expect(page).toContain(`data-copy="${secret}"`);

    const editor = await (await admin.get('/admin/profiles/secret')).text();
    expect(testIdText(editor, 'callback-secret-state')).toMatch(/^Created \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/);
    expect(editor).not.toContain(secret);
    expect(countTestIds(editor, 'replace-callback-secret')).toBe(1);
    expect(countTestIds(editor, 'delete-callback-secret')).toBe(1);
    expect(testIdText(editor, 'replace-secret-warning')).toContain('stops working at once');
    // The buttons sit in the profile form's tab but submit their own forms (a form cannot hold another), which ask first.
    expect(editor).toMatch(/<button [^>]*form="callback-secret-replace" data-testid="replace-callback-secret"/);
    expect(editor).toMatch(/<form id="callback-secret-replace" method="get" action="\/admin\/profiles\/secret\/callback-secret" data-confirm="[^"]*stops working at once/);
    expect((await apiProfile('secret')).callbackSecret).toEqual({ createdAt: expect.any(String) });
  });

  it('is replaced by a different one, after a confirmation page without JavaScript', async () => {
    const first = await createSecret('secret');
    const confirm = await admin.get('/admin/profiles/secret/callback-secret');
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('stops working at once');
    expect(html).toContain('action="/admin/profiles/secret/callback-secret"');
    const second = await createSecret('secret');
    expect(second).toMatch(SECRET);
    expect(second).not.toBe(first);
  });

  it('is deleted with a POST, back to the Callbacks tab', async () => {
    await createSecret('secret');
    const confirm = await admin.get('/admin/profiles/secret/callback-secret/delete');
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain('action="/admin/profiles/secret/callback-secret/delete"');

    const response = await admin.post('/admin/profiles/secret/callback-secret/delete');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/profiles/secret#callbacks');
    const editor = await (await admin.follow(response)).text();
    expect(editor).toContain('Callback secret of “secret” deleted.');
    expect(testIdText(editor, 'callback-secret-state')).toBe('No callback secret yet');
    expect((await apiProfile('secret')).callbackSecret).toBeNull();
    // Nothing to replace any more: the confirmation address leads back to the tab.
    expect((await admin.get('/admin/profiles/secret/callback-secret')).headers.get('location')).toBe('/admin/profiles/secret#callbacks');
  });

  it('changes only with a same-origin POST: a cross-site form is refused', async () => {
    const response = await admin.post('/admin/profiles/readers/callback-secret', {}, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(response.status).toBe(403);
    expect((await apiProfile('readers')).callbackSecret).toBeNull();
  });

  it('is for administrators: a read-only user sees the state without buttons, and is refused with 403', async () => {
    await createSecret('readers');
    const html = await (await reader.get('/admin/profiles/readers')).text();
    expect(testIdText(html, 'callback-secret-state')).toMatch(/^Created /);
    expect(controlAttribute(html, 'profile-callbackHosts', 'readonly')).toBe('');
    for (const button of ['create-callback-secret', 'replace-callback-secret', 'delete-callback-secret']) expect(countTestIds(html, button)).toBe(0);

    const before = (await apiProfile('readers')).callbackSecret;
    const create = await reader.post('/admin/profiles/readers/callback-secret');
    expect(create.status).toBe(403);
    expect(await create.text()).not.toMatch(/data-testid="created-callback-secret"/);
    expect((await reader.post('/admin/profiles/readers/callback-secret/delete')).status).toBe(403);
    expect((await apiProfile('readers')).callbackSecret).toEqual(before);
  });

  it('is recorded in the audit log, without the secret', async () => {
    const secret = await createSecret('hooks');
    const audit = await (await admin.get(`/admin/audit?actor=${admin.username}&action=profile.callback-secret-create`)).text();
    const row = /data-testid="audit-row" data-action="profile.callback-secret-create">[\s\S]*?<\/tr>/.exec(audit)?.[0] ?? '';
    expect(row).toContain('Callback secret created');
    expect(row).toContain('<td data-label="Target">hooks</td>');
    expect(audit).not.toContain(secret);
  });
});
