/** A profile's own SMS sender (`smsSender`): validated as every provider takes it, and used for its magic links. */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Caller, errorFields, json, signedInAs } from './admin-client';
import { callApi, decideLink, fakeSmsProvider, freshMsisdn, seedToken } from './support';

afterEach(() => vi.restoreAllMocks());

let asAdmin: Caller;
beforeAll(async () => {
  asAdmin = await signedInAs('admin');
});

describe('smsSender', () => {
  it.each([
    ['a space', 'Acme Bank'],
    ['too short', 'AB'],
    ['too long', 'AcmeBank1234'],
    ['digits only (a number needs its +)', '46701234567'],
    ['a symbol', 'Acme-Bank'],
  ])('refuses %s, naming the field, and saves nothing', async (_why, sender) => {
    const created = await json(await asAdmin('POST', '/profiles', { name: `s-${crypto.randomUUID().slice(0, 8)}`, smsSender: 'Acme' }));
    const response = await asAdmin('PATCH', `/profiles/${created.name}`, { smsSender: sender });
    expect(response.status).toBe(400);
    expect(await errorFields(response)).toEqual(['smsSender']);
    expect((await json(await asAdmin('GET', `/profiles/${created.name}`))).smsSender).toBe('Acme');
  });

  it('takes a name or an international number, and null for the deployment’s', async () => {
    const { name } = await json(await asAdmin('POST', '/profiles', { name: `s-${crypto.randomUUID().slice(0, 8)}` }));
    expect((await json(await asAdmin('GET', `/profiles/${name}`))).smsSender).toBeNull();
    expect((await json(await asAdmin('PATCH', `/profiles/${name}`, { smsSender: ' AcmeBank ' }))).smsSender).toBe('AcmeBank');
    expect((await json(await asAdmin('PATCH', `/profiles/${name}`, { smsSender: '+46701234567' }))).smsSender).toBe('+46701234567');
    expect((await json(await asAdmin('PATCH', `/profiles/${name}`, { smsSender: null }))).smsSender).toBeNull();
  });

  it('sends the endpoint’s magic links from its sender; other endpoints keep the deployment’s', async () => {
    const sms = fakeSmsProvider();
    const { name } = await json(await asAdmin('POST', '/profiles', { name: `s-${crypto.randomUUID().slice(0, 8)}`, smsSender: 'AcmeBank' }));
    const own = callApi(await seedToken({ profile: name }), { msisdn: freshMsisdn() }, name);
    const first = await sms.nextSms();
    expect(first.form.get('from')).toBe('AcmeBank');
    await decideLink(first.link, 'accept');
    expect(await (await own).json()).toMatchObject({ code: 'ACCEPT' });

    const plain = callApi(await seedToken(), { msisdn: freshMsisdn() });
    const second = await sms.nextSms();
    expect(second.form.get('from')).toBe('SFWA');
    await decideLink(second.link, 'accept');
    expect(await (await plain).json()).toMatchObject({ code: 'ACCEPT' });
  });
});
