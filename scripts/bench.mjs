// `npm run bench`: starts the local Worker (its own state folder) and measures, in one run:
//  - SMS path, decision latency: from the POST of "accept" on a magic link to the API call's response,
//    for batches of concurrent authentications (median, p99);
//  - SMS path, session start: from sending the API call to the SMS being recorded, compared with
//    the round trip of a trivial route (GET /health) of the same Worker;
//  - push path (companion app, PUSH_PROVIDER=dev): a device activated here in Node (P-256 key pair from
//    WebCrypto) detects each request with the signed pending pull — "push start", from sending the API
//    call to the request being listed — then signs and posts Accept — "push resolution", from the
//    decision POST to the API call's response.
// A batch starts `concurrency` authentications at once, waits until all are delivered, then accepts all at once.
// Options: --batches N (default 5), --concurrency N (default 20), --port N (default 8788),
//          --path sms|push|both (default both).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareLocalState, root, startWorker } from './local-worker.mjs';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '20' },
    port: { type: 'string', default: '8788' },
    path: { type: 'string', default: 'both' },
  },
});
const batches = Number(values.batches);
const concurrency = Number(values.concurrency);
const base = `http://127.0.0.1:${values.port}`;
if (!['sms', 'push', 'both'].includes(values.path)) throw new Error(`--path must be sms, push or both, not "${values.path}"`);
const runSms = values.path !== 'push';
const runPush = values.path !== 'sms';
/** Authentications measured one at a time, per path. */
const SEQUENTIAL = 30;
/** Pause between two pending pulls of one device while it waits for its request. */
const PULL_INTERVAL_MS = 10;

const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const round = (ms, digits = 1) => Number(ms.toFixed(digits));
const figures = (xs) => ({ median: round(median(xs)), p99: round(quantile(xs, 0.99)) });
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function json(path, init = {}) {
  const response = await fetch(base + path, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

const postJson = (path, body, headers = {}) => json(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Signs in as the local admin; a profile per path, each with a high rate limit, and an API key for each. */
async function setUp() {
  const login = await fetch(`${base}/admin/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
  if (!login.ok) throw new Error(`admin sign-in failed: ${login.status}`);
  const admin = { cookie: login.headers.get('set-cookie').split(';')[0] };
  const profile = async (name, settings) => {
    await postJson('/admin/api/profiles', { name, rateLimit: { perMinute: 1000, perHour: 1000 }, smsBudget: { perHour: 100_000, perDay: 100_000 }, ...settings }, admin);
    return (await postJson(`/admin/api/profiles/${name}/tokens`, { name: 'bench' }, admin)).token;
  };
  return {
    admin,
    // The SMS path as it was measured before push existed: no activation link in the SMS.
    smsKey: runSms ? await profile('bench', { plusActivationLinks: false }) : null,
    pushKey: runPush ? await profile('bench-push', { usePlusIfActivated: true }) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// SMS path: the magic link from the development outbox.

async function waitForLink(msisdn) {
  for (;;) {
    const messages = await json(`/dev/outbox?msisdn=${encodeURIComponent(msisdn)}`);
    if (messages.length) return messages[0];
    await sleep(20);
  }
}

/** Starts an authentication and waits until its SMS is recorded; resolves with what the decision needs. */
async function startAuthentication(apiKey, msisdn) {
  const sentMs = Date.now();
  const call = fetch(`${base}/api/sfwa/auth/bench`, { method: 'POST', headers: { 'api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ msisdn, 'touch-timeout': 60 }) });
  const message = await waitForLink(msisdn);
  return { call, link: message.url, startMs: Date.parse(message.sentAt) - sentMs };
}

/** Taps Accept on the link; resolves with the time from the decision POST to the API call's answer. */
async function accept({ call, link }) {
  const decidedMs = performance.now();
  const decision = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=accept' });
  const response = await call;
  const answeredMs = performance.now();
  await decision.text();
  const { code } = await response.json();
  if (code !== 'ACCEPT') throw new Error(`expected ACCEPT, got ${code}`);
  return answeredMs - decidedMs;
}

/** A batch: `concurrency` authentications started together, then all accepted together. */
async function batchOf(apiKey, msisdns) {
  const started = await Promise.all(msisdns.map((msisdn) => startAuthentication(apiKey, msisdn)));
  const decisionToAnswerMs = await Promise.all(started.map(accept));
  return started.map((session, i) => ({ startMs: session.startMs, decisionToAnswerMs: decisionToAnswerMs[i] }));
}

// ---------------------------------------------------------------------------------------------
// Push path: a companion-app device in Node, as docs/companion-app.md describes it.

const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' };

/**
 * Activates a device for `msisdn`: an activation code from the local app simulator's route (an
 * administrator's link goes by SMS to the number, so a script takes the simulator's), then the app's
 * POST /api/plus/v1/activate.
 */
async function activateDevice(_admin, msisdn) {
  const { code } = await postJson('/dev/app/activation', { msisdn });
  const keys = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
  const publicKey = await globalThis.crypto.subtle.exportKey('jwk', keys.publicKey);
  const installationId = `bench-${globalThis.crypto.randomUUID()}`;
  const { deviceId } = await postJson('/api/plus/v1/activate', { code, installationId, platform: 'web', pushToken: `dev:${installationId}`, publicKey, label: 'bench' });
  let lastTimestamp = 0;
  const device = {
    msisdn,
    deviceId,
    /** Strictly increasing: the Worker accepts each pending pull's timestamp once. */
    nextTimestamp: () => (lastTimestamp = Math.max(Date.now(), lastTimestamp + 1)),
    /** `{deviceId, timestamp, signature}`: ECDSA P-256 / SHA-256 over the protocol's lines, P1363, base64url. */
    async sign(purpose, fields) {
      const timestamp = device.nextTimestamp();
      const text = ['sfwa-plus-v1', purpose, ...fields, String(timestamp)].join('\n');
      const signature = await globalThis.crypto.subtle.sign(ECDSA_SHA256, keys.privateKey, new TextEncoder().encode(text));
      return { deviceId, timestamp, signature: Buffer.from(signature).toString('base64url') };
    },
  };
  return device;
}

/** Pulls the device's pending requests until one is listed. */
async function waitForPendingRequest(device) {
  for (;;) {
    const { requests } = await postJson('/api/plus/v1/pending', await device.sign('pending', [device.deviceId]));
    if (requests.length) return requests[0];
    await sleep(PULL_INTERVAL_MS);
  }
}

/** Starts an authentication for the device's number and waits until the device sees the request. */
async function startPushAuthentication(apiKey, device) {
  const sentMs = performance.now();
  const call = fetch(`${base}/api/sfwa/auth/bench-push`, {
    method: 'POST',
    headers: { 'api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ msisdn: device.msisdn, 'touch-timeout': 60 }),
  });
  const request = await waitForPendingRequest(device);
  return { call, device, sessionId: request.sessionId, startMs: performance.now() - sentMs };
}

/** Signs Accept, then posts it; resolves with the time from the decision POST to the API call's answer. */
async function acceptPush({ call, device, sessionId }) {
  const body = { ...(await device.sign('decision', [sessionId, device.deviceId, 'accept', ''])), decision: 'accept' };
  const decidedMs = performance.now();
  const decision = await fetch(`${base}/api/plus/v1/sessions/${sessionId}/decision`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const response = await call;
  const answeredMs = performance.now();
  if (decision.status !== 200) throw new Error(`decision answered ${decision.status}: ${await decision.text()}`);
  await decision.text();
  const answer = await response.json();
  if (answer.code !== 'ACCEPT' || answer.channel !== 'push') throw new Error(`expected ACCEPT by push, got ${JSON.stringify(answer)}`);
  return answeredMs - decidedMs;
}

/** A push batch: one fresh number and device per authentication (set up first, not timed), started together, accepted together. */
async function pushBatchOf(keys, apiKey, msisdns) {
  const devices = await Promise.all(msisdns.map((msisdn) => activateDevice(keys.admin, msisdn)));
  const started = await Promise.all(devices.map((device) => startPushAuthentication(apiKey, device)));
  const resolutionMs = await Promise.all(started.map(acceptPush));
  return started.map((session, i) => ({ startMs: session.startMs, resolutionMs: resolutionMs[i] }));
}

async function trivialRoundTrips(count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await (await fetch(`${base}/health`)).text();
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** The push path needs the development push provider, which records pushes instead of sending them. */
function checkPushProvider() {
  const provider = readFileSync(`${root}.dev.vars`, 'utf8').match(/^PUSH_PROVIDER\s*=\s*"?([^"\r\n]*)"?\s*$/m)?.[1];
  if (provider !== 'dev') {
    throw new Error(`the push path needs PUSH_PROVIDER="dev" in .dev.vars (it has ${provider === undefined ? 'none' : `"${provider}"`}); set it, or run with --path sms`);
  }
}

const stateDir = mkdtempSync(join(tmpdir(), 'sfwa-bench-'));
prepareLocalState({ persistTo: stateDir });
if (runPush) checkPushProvider();
const worker = await startWorker({ port: Number(values.port), persistTo: stateDir, stdio: 'ignore' });
try {
  const keys = await setUp();
  await trivialRoundTrips(20); // warm up
  if (runSms) await batchOf(keys.smsKey, ['+46700000001']);
  if (runPush) await pushBatchOf(keys, keys.pushKey, ['+46700000002']);
  const health = await trivialRoundTrips(200);
  const report = { path: values.path, concurrency, trivialRouteMs: { median: round(median(health), 2) } };
  const lines = [];

  if (runSms) {
    // Uncontended session starts, one at a time like the trivial route, for a like-for-like comparison.
    const sequential = [];
    let number = 46701000000;
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(...(await batchOf(keys.smsKey, [`+${number++}`])));
    const results = [];
    for (let batch = 0; batch < batches; batch++) {
      results.push(...(await batchOf(keys.smsKey, Array.from({ length: concurrency }, () => `+${number++}`))));
    }
    const decision = results.map((r) => r.decisionToAnswerMs);
    const start = sequential.map((r) => r.startMs);
    Object.assign(report, {
      authentications: results.length,
      decisionToAnswerMs: figures(decision),
      decisionToAnswerOneAtATimeMs: figures(sequential.map((r) => r.decisionToAnswerMs)),
      sessionStartMs: { median: median(start), concurrentMedian: median(results.map((r) => r.startMs)) },
      sessionStartOverTrivialRoute: round(median(start) / median(health)),
    });
    lines.push(
      `SMS path: ${results.length} authentications in batches of ${concurrency} concurrent, and ${SEQUENTIAL} one at a time`,
      `  decision POST -> API answer   median ${report.decisionToAnswerMs.median} ms   p99 ${report.decisionToAnswerMs.p99} ms` +
        `   (one at a time: median ${report.decisionToAnswerOneAtATimeMs.median} ms, p99 ${report.decisionToAnswerOneAtATimeMs.p99} ms)`,
      `  API call -> SMS recorded      median ${report.sessionStartMs.median} ms one at a time, ${report.sessionStartMs.concurrentMedian} ms in the concurrent batches`,
      `                                (session start: validate, key, rate limit, Durable Object, provider)`,
      `  session start / trivial route ${report.sessionStartOverTrivialRoute}x (both one at a time)`,
    );
  }

  if (runPush) {
    const sequential = [];
    let number = 46702000000;
    for (let i = 0; i < SEQUENTIAL; i++) sequential.push(...(await pushBatchOf(keys, keys.pushKey, [`+${number++}`])));
    const results = [];
    for (let batch = 0; batch < batches; batch++) {
      results.push(...(await pushBatchOf(keys, keys.pushKey, Array.from({ length: concurrency }, () => `+${number++}`))));
    }
    // What one look costs: a signed pull with nothing pending, one at a time.
    const idle = await activateDevice(keys.admin, `+${number++}`);
    const pulls = [];
    for (let i = 0; i < 50; i++) {
      const body = await idle.sign('pending', [idle.deviceId]);
      const t0 = performance.now();
      await postJson('/api/plus/v1/pending', body);
      pulls.push(performance.now() - t0);
    }
    report.push = {
      authentications: results.length,
      resolutionMs: figures(results.map((r) => r.resolutionMs)),
      resolutionOneAtATimeMs: figures(sequential.map((r) => r.resolutionMs)),
      startMs: { ...figures(sequential.map((r) => r.startMs)), concurrentMedian: round(median(results.map((r) => r.startMs))) },
      pullIntervalMs: PULL_INTERVAL_MS,
      emptyPullMs: { median: round(median(pulls)) },
    };
    const { push } = report;
    lines.push(
      `Push path (PUSH_PROVIDER=dev): ${push.authentications} authentications in batches of ${concurrency} concurrent, and ${SEQUENTIAL} one at a time`,
      `  decision POST -> API answer   median ${push.resolutionMs.median} ms   p99 ${push.resolutionMs.p99} ms` +
        `   (one at a time: median ${push.resolutionOneAtATimeMs.median} ms, p99 ${push.resolutionOneAtATimeMs.p99} ms)   "push resolution"`,
      `  API call -> request listed    median ${push.startMs.median} ms, p99 ${push.startMs.p99} ms one at a time, ${push.startMs.concurrentMedian} ms in the concurrent batches   "push start"`,
      `                                (seen by the signed pending pull, sent ${PULL_INTERVAL_MS} ms after the previous one answered;`,
      `                                one pull with nothing pending takes median ${push.emptyPullMs.median} ms)`,
    );
  }

  console.log(`
SFWA bench (local wrangler dev, --path ${values.path})
  GET /health round trip        median ${report.trivialRouteMs.median} ms
${lines.join('\n')}
${JSON.stringify(report)}`);
} finally {
  worker.kill();
  rmSync(stateDir, { recursive: true, force: true });
}
