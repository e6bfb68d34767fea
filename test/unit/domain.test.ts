import { describe, expect, it } from 'vitest';
import { cancel, decide, expireIfDue, markFailed, matchChoices, sessionOutcome, type SessionState } from '../../src/auth-session/session-state';
import { OUTCOME_CODES } from '../../src/domain/dialect';
import { decisionSignedText } from '../../src/domain/device';
import { displayTextProblem } from '../../src/domain/display-text';
import { shownTextsInput } from '../../src/domain/receipt';
import { parseApiKey } from '../../src/domain/api-token';
import { authRequestSchema, authRequestSchemas, messagesFor } from '../../src/domain/auth-request';
import { maskMsisdn, parseMsisdn } from '../../src/domain/msisdn';
import { parsePrefer } from '../../src/domain/prefer';
import { decideRate } from '../../src/domain/rate-limit';
import { localeFromAcceptLanguage, localeForMsisdn, withBuiltInTexts } from '../../src/domain/texts';

describe('phone numbers', () => {
  it.each([
    ['+46701234567', '+46701234567'],
    ['+46 70-123 45 67', '+46701234567'],
    ['0046701234567', '+46701234567'],
    ['46701234567', '+46701234567'],
    [' 46701234567', '+46701234567'], // an unencoded "+" decoded to a space
    ['+14155552671', '+14155552671'],
  ])('%j normalises to %s', (raw, e164) => {
    expect(parseMsisdn(raw)).toMatchObject({ ok: true, e164 });
  });

  it.each(['0701234567', '+4670', 'phone', '+46 70 123 45 67 89 01', '', '+999123456789'])('%j is refused', (raw) => {
    expect(parseMsisdn(raw).ok).toBe(false);
  });

  it('masks all but the country prefix and last two digits', () => {
    expect(maskMsisdn('+46701234567')).toBe('+4670*****67');
  });
});

describe('the request schema', () => {
  it('defaults touch-timeout to 30 seconds (cloud) and 60 seconds (server dialect)', () => {
    expect(authRequestSchema.parse({ msisdn: '+46701234567' })['touch-timeout']).toBe(30);
    expect(authRequestSchemas.server.parse({ msisdn: '+46701234567' })['touch-timeout']).toBe(60);
  });
  it('takes request texts over profile texts, and keeps profile texts otherwise', () => {
    const profile = withBuiltInTexts({ titleText: 'P', smsText: 'S', buttonAcceptText: '', buttonRejectText: '', authenticationText: '', touchAcceptedText: '', touchRejectedText: '' }, 'en');
    const messages = messagesFor(authRequestSchema.parse({ msisdn: '+46701234567', 'title-text': 'R' }), profile);
    expect(messages.titleText).toBe('R');
    expect(messages.smsText).toBe('S');
    expect(messages.buttonAcceptText).toBe('Accept');
  });
});

describe('api-key header', () => {
  it('splits name and value at the first colon', () => {
    expect(parseApiKey('app:abc:def')).toEqual({ name: 'app', secret: 'abc:def' });
    expect(parseApiKey('no-colon')).toBeNull();
    expect(parseApiKey(':value')).toBeNull();
    expect(parseApiKey('name:')).toBeNull();
    expect(parseApiKey(undefined)).toBeNull();
  });
});

describe('rate rule', () => {
  const limit = { perMinute: 2, perHour: 3 };
  const now = 10_000_000;
  it('allows up to the per-minute limit', () => {
    expect(decideRate([now - 1000], now, limit)).toEqual({ allowed: true });
    expect(decideRate([now - 30_000, now - 1000], now, limit)).toEqual({ allowed: false, retryAfterSeconds: 30 });
  });
  it('forgets attempts older than the window', () => {
    expect(decideRate([now - 61_000, now - 1000], now, limit)).toEqual({ allowed: true });
  });
  it('applies the hour limit and waits for the oldest counted attempt to leave it', () => {
    expect(decideRate([now - 3_000_000, now - 2_000_000, now - 1_000_000], now, limit)).toEqual({ allowed: false, retryAfterSeconds: 600 });
  });
});

describe('languages', () => {
  it.each([
    ['sv-SE,sv;q=0.9,en;q=0.8', 'sv'],
    ['en-US,en;q=0.9,sv;q=0.8', 'en'],
    ['de-DE,sv;q=0.5', 'sv'],
    ['fr', 'en'],
    [undefined, 'en'],
  ] as const)('Accept-Language %j -> %s', (header, locale) => {
    expect(localeFromAcceptLanguage(header)).toBe(locale);
  });
  it('writes SMS to Swedish numbers in Swedish', () => {
    expect(localeForMsisdn('+46701234567')).toBe('sv');
    expect(localeForMsisdn('+14155552671')).toBe('en');
  });
});

describe('session state machine', () => {
  const pending: SessionState = {
    status: 'pending',
    createdAtMs: 0,
    deadlineMs: 30_000,
    settledAtMs: null,
    msisdnMasked: '+4670*****67',
    profileName: 'default',
    tokenName: 'app',
    channel: 'sms',
    reason: null,
    recipients: [{ approver: null, msisdnMasked: '+4670*****67', channel: 'sms', linkSecretHash: 'h', devices: [] }],
    matchCode: null,
    matchChoices: null,
    context: { requestedAtMs: 0, location: null },
    answeredBy: null,
    answeredRecipient: null,
    assisted: null,
    logPending: false,
    messages: withBuiltInTexts({ titleText: '', smsText: '', buttonAcceptText: '', buttonRejectText: '', authenticationText: '', touchAcceptedText: '', touchRejectedText: '' }, 'en'),
  };
  it('settles once: the first decision wins', () => {
    const accepted = decide(pending, 'accept', 1000);
    expect(accepted).toMatchObject({ status: 'accepted', settledAtMs: 1000 });
    expect(decide(accepted, 'reject', 2000)).toBe(accepted);
    expect(cancel(accepted, 2000)).toBe(accepted);
    expect(expireIfDue(accepted, 99_000)).toBe(accepted);
  });
  it('times out at the deadline, not before', () => {
    expect(expireIfDue(pending, 29_999)).toBe(pending);
    expect(expireIfDue(pending, 30_000).status).toBe('timed_out');
    expect(decide(pending, 'accept', 30_000).status).toBe('timed_out');
  });
  it('"this wasn\'t me" rejects with reason unexpected; with number matching only the right number accepts', () => {
    expect(decide(pending, 'report', 1)).toMatchObject({ status: 'rejected', reason: 'unexpected' });
    expect(decide(pending, 'reject', 1)).toMatchObject({ status: 'rejected', reason: null });
    const matching = { ...pending, matchCode: '42', matchChoices: ['17', '42', '93'] };
    expect(decide(matching, 'accept', 1, '42')).toMatchObject({ status: 'accepted', reason: null });
    expect(decide(matching, 'accept', 1, '17')).toMatchObject({ status: 'rejected', reason: 'match-mismatch' });
    expect(decide(matching, 'accept', 1)).toMatchObject({ status: 'rejected', reason: 'match-mismatch' });
    expect(decide(matching, 'report', 1)).toMatchObject({ status: 'rejected', reason: 'unexpected' });
  });
  it('offers three different two-digit numbers, the right one among them, in varying places', () => {
    const places = new Set<number>();
    for (let i = 0; i < 200; i += 1) {
      const choices = matchChoices('07');
      expect(choices).toHaveLength(3);
      expect(new Set(choices).size).toBe(3);
      expect(choices.every((choice) => /^\d\d$/.test(choice))).toBe(true);
      places.add(choices.indexOf('07'));
    }
    expect([...places].sort()).toEqual([0, 1, 2]);
  });
  it('maps settled states to outcomes, and outcomes to each dialect\'s codes', () => {
    expect(sessionOutcome(decide(pending, 'accept', 1).status)).toBe('ACCEPT');
    expect(sessionOutcome(decide(pending, 'reject', 1).status)).toBe('REJECT');
    expect(sessionOutcome(expireIfDue(pending, 40_000).status)).toBe('TIMEOUT');
    expect(sessionOutcome(cancel(pending, 1).status)).toBe('TIMEOUT');
    expect(sessionOutcome(markFailed(pending, 1).status)).toBeNull();
    expect(OUTCOME_CODES.server).toEqual({ ACCEPT: 'TOUCH_ACCEPTED', REJECT: 'TOUCH_REJECTED', TIMEOUT: 'USER_NOT_RESPONDED' });
    expect(OUTCOME_CODES.cloud).toEqual({ ACCEPT: 'ACCEPT', REJECT: 'REJECT', TIMEOUT: 'TIMEOUT' });
  });
});

describe('the Prefer header (RFC 7240)', () => {
  it('finds respond-async and wait among other preferences, in any case, with commas or semicolons', () => {
    expect(parsePrefer('respond-async')).toEqual({ respondAsync: true, waitSeconds: null });
    expect(parsePrefer('return=minimal, Respond-Async, wait=10')).toEqual({ respondAsync: true, waitSeconds: 10 });
    expect(parsePrefer('respond-async; wait=3')).toEqual({ respondAsync: true, waitSeconds: 3 });
    expect(parsePrefer('wait="7", respond-async')).toEqual({ respondAsync: true, waitSeconds: 7 });
  });

  it('ignores what it does not know, and a wait that is not whole seconds', () => {
    expect(parsePrefer(undefined)).toEqual({ respondAsync: false, waitSeconds: null });
    expect(parsePrefer('respond-asynchronously, handling=lenient')).toEqual({ respondAsync: false, waitSeconds: null });
    expect(parsePrefer('respond-async, wait=1.5')).toEqual({ respondAsync: true, waitSeconds: null });
    expect(parsePrefer('respond-async, wait=-1')).toEqual({ respondAsync: true, waitSeconds: null });
  });
});

describe('what a device signs for a decision', () => {
  const answer = { deviceId: 'dev1', decision: 'accept', timestamp: 1764080004567 };
  it('v1 without textsHash, v2 with it as the line before the timestamp', () => {
    expect(decisionSignedText('s1', answer)).toBe('sfwa-plus-v1\ndecision\ns1\ndev1\naccept\n\n1764080004567');
    expect(decisionSignedText('s1', { ...answer, matchCode: '42', textsHash: 'h' })).toBe('sfwa-plus-v2\ndecision\ns1\ndev1\naccept\n42\nh\n1764080004567');
  });
  it('refuses a field with a line break (it could shift the lines)', () => {
    expect(decisionSignedText('s1', { ...answer, textsHash: 'a\nb' })).toBeNull();
  });
});

describe('the texts a receipt hashes', () => {
  it('joins title, body and labels with U+001F, which no shown text may contain', () => {
    expect(shownTextsInput({ title: 'Pay', body: 'Pay 10 SEK\nto ACME?', acceptLabel: 'Yes', rejectLabel: 'No' })).toBe('Pay\u001fPay 10 SEK\nto ACME?\u001fYes\u001fNo');
    expect(displayTextProblem('a\u001fb', true)).not.toBeNull();
  });
});
