// `npm run bench`: starts the local Worker (its own state folder) and measures, in one run:
//  - decision latency: from the POST of "accept" on a magic link to the API call's response,
//    for batches of concurrent authentications (median, p99);
//  - session start overhead: from sending the API call to the SMS being recorded, compared with
//    the round trip of a trivial route (GET /health) of the same Worker.
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
    await sleep(5);
  }
}

async function oneAuthentication(apiKey, msisdn) {
  const sentMs = Date.now();
  const call = fetch(`${base}/api/sfwa/auth/bench`, { method: 'POST', headers: { 'api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ msisdn, 'touch-timeout': 60 }) });
  const message = await waitForLink(msisdn);
  const decidedMs = Date.now();
  const decision = await fetch(message.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=accept' });
  await decision.text();
  const response = await call;
  const answeredMs = Date.now();
  const { code } = await response.json();
  if (code !== 'ACCEPT') throw new Error(`expected ACCEPT, got ${code}`);
  return { decisionToAnswerMs: answeredMs - decidedMs, startMs: Date.parse(message.sentAt) - sentMs };
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
  await oneAuthentication(apiKey, '+46700000001');
  const health = await trivialRoundTrips(200);
  const results = [];
  let number = 46701000000;
  for (let batch = 0; batch < batches; batch++) {
    results.push(...(await Promise.all(Array.from({ length: concurrency }, () => oneAuthentication(apiKey, `+${number++}`)))));
  }
  const decision = results.map((r) => r.decisionToAnswerMs);
  const start = results.map((r) => r.startMs);
  const report = {
    authentications: results.length,
    concurrency,
    decisionToAnswerMs: { median: median(decision), p99: quantile(decision, 0.99) },
    sessionStartMs: { median: median(start) },
    trivialRouteMs: { median: Number(median(health).toFixed(2)) },
    sessionStartOverTrivialRoute: Number((median(start) / median(health)).toFixed(1)),
  };
  console.log(`
SFWA bench: ${report.authentications} authentications in batches of ${concurrency} concurrent (local wrangler dev)
  decision POST -> API answer   median ${report.decisionToAnswerMs.median} ms   p99 ${report.decisionToAnswerMs.p99} ms
  API call -> SMS recorded      median ${report.sessionStartMs.median} ms (session start: validate, key, rate limit, Durable Object, provider)
  GET /health round trip        median ${report.trivialRouteMs.median} ms
  session start / trivial route ${report.sessionStartOverTrivialRoute}x
${JSON.stringify(report)}`);
} finally {
  worker.kill();
  rmSync(stateDir, { recursive: true, force: true });
}
