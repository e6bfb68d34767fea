// `npm run bench`: starts the local Worker (its own state folder) and measures, in one run:
//  - decision latency: from the POST of "accept" on a magic link to the API call's response,
//    for batches of concurrent authentications (median, p99);
//  - session start overhead: from sending the API call to the SMS being recorded, compared with
//    the round trip of a trivial route (GET /health) of the same Worker.
// A batch starts `concurrency` authentications at once, waits for all their SMS, then accepts all at once.
// Options: --batches N (default 5), --concurrency N (default 20), --port N (default 8788).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prepareLocalState, startWorker } from './local-worker.mjs';

const { values } = parseArgs({ options: { batches: { type: 'string', default: '5' }, concurrency: { type: 'string', default: '20' }, port: { type: 'string', default: '8788' } } });
const batches = Number(values.batches);
const concurrency = Number(values.concurrency);
const base = `http://127.0.0.1:${values.port}`;

const median = (xs) => quantile(xs, 0.5);
function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function json(path, init = {}) {
  const response = await fetch(base + path, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

async function setUp() {
  const login = await fetch(`${base}/admin/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
  if (!login.ok) throw new Error(`admin sign-in failed: ${login.status}`);
  const cookie = login.headers.get('set-cookie').split(';')[0];
  const headers = { cookie, 'content-type': 'application/json' };
  await json('/admin/api/profiles', { method: 'POST', headers, body: JSON.stringify({ name: 'bench', rateLimit: { perMinute: 1000, perHour: 1000 } }) });
  const { token } = await json('/admin/api/profiles/bench/tokens', { method: 'POST', headers, body: JSON.stringify({ name: 'bench' }) });
  return token;
}

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

async function trivialRoundTrips(count) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await (await fetch(`${base}/health`)).text();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const stateDir = mkdtempSync(join(tmpdir(), 'sfwa-bench-'));
prepareLocalState({ persistTo: stateDir });
const worker = await startWorker({ port: Number(values.port), persistTo: stateDir, stdio: 'ignore' });
try {
  const apiKey = await setUp();
  await trivialRoundTrips(20); // warm up
  await batchOf(apiKey, ['+46700000001']);
  const health = await trivialRoundTrips(200);
  // Uncontended session starts, one at a time like the trivial route, for a like-for-like comparison.
  const sequential = [];
  let number = 46701000000;
  for (let i = 0; i < 30; i++) sequential.push(...(await batchOf(apiKey, [`+${number++}`])));
  const results = [];
  for (let batch = 0; batch < batches; batch++) {
    results.push(...(await batchOf(apiKey, Array.from({ length: concurrency }, () => `+${number++}`))));
  }
  const decision = results.map((r) => r.decisionToAnswerMs);
  const start = sequential.map((r) => r.startMs);
  const report = {
    authentications: results.length,
    concurrency,
    decisionToAnswerMs: { median: Number(median(decision).toFixed(1)), p99: Number(quantile(decision, 0.99).toFixed(1)) },
    sessionStartMs: { median: median(start), concurrentMedian: median(results.map((r) => r.startMs)) },
    trivialRouteMs: { median: Number(median(health).toFixed(2)) },
    sessionStartOverTrivialRoute: Number((median(start) / median(health)).toFixed(1)),
  };
  console.log(`
SFWA bench: ${report.authentications} authentications in batches of ${concurrency} concurrent (local wrangler dev)
  decision POST -> API answer   median ${report.decisionToAnswerMs.median} ms   p99 ${report.decisionToAnswerMs.p99} ms
  API call -> SMS recorded      median ${report.sessionStartMs.median} ms one at a time, ${report.sessionStartMs.concurrentMedian} ms in the concurrent batches
                                (session start: validate, key, rate limit, Durable Object, provider)
  GET /health round trip        median ${report.trivialRouteMs.median} ms
  session start / trivial route ${report.sessionStartOverTrivialRoute}x (both one at a time)
${JSON.stringify(report)}`);
} finally {
  worker.kill();
  rmSync(stateDir, { recursive: true, force: true });
}
