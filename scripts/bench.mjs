// `npm run bench`: starts the local Worker (its own state folder) and measures, in one run:
//  - SMS path, decision latency: from the POST of "accept" on a magic link to the API call's response,
//    for batches of concurrent authentications (median, p99);
//  - SMS path, session start: from sending the API call to the SMS reaching the provider, compared with
//    the round trip of a trivial route (GET /health) of the same Worker. The provider is the bench's own
//    (scripts/fake-sms-provider.mjs, answering as 46elks): the Worker sends through its real 46elks adapter;
//  - push path (companion app, PUSH_PROVIDER=dev): a device activated here in Node (P-256 key pair from
//    WebCrypto) detects each request with the signed pending pull — "push start", from sending the API
//    call to the request being listed — then signs and posts Accept — "push resolution", from the
//    decision POST to the API call's response.
//  - wait path: the Durable Object's busy time per authentication (AuthSession records it in local development:
//    time with a request in flight or a handler running), waiting over the hibernatable WebSocket against the
//    older held RPC (`x-bench-wait: rpc`, honoured only locally) and an async start (`Prefer: respond-async`)
//    read with `GET /api/sfwa/sessions/{id}?wait=25`, each held `--hold-ms` before Accept, and the GB-s and
//    dollars per million 30-second authentications that follow; with the decision -> answer time of each.
//  - assisted login path: a real OpenLDAP server (scripts/ldap-server.mjs, Debian's slapd on loopback) behind
//    an endpoint whose assisted login profile lets the `helpdesk` group approve; "assisted start" is from
//    sending the API call (`username` + `approver`) to the approver's SMS reaching the provider, with the directory
//    lookups cached (the same user again) and with the cache cleared first (every lookup goes to slapd),
//    against plain SMS session starts measured alongside.
//  - ops: what one storage operation costs the local runtime, each alone in a request to /dev/bench/op/{name}
//    (a KV get, put and list, a D1 `select 1`, a call to an existing and to a new Durable Object): workerd CPU
//    and round trip beyond the request's own, the floor under an authentication's work.
// A batch starts `concurrency` authentications at once, waits until all are delivered, then accepts all at once.
// Options: --batches N (default 5), --concurrency N (default 20), --port N (default 8788),
//          --path sms|push|assisted|wait|ops|both|all (default all; both = sms and push), --ldap-port N (default 3894;
//          --wait-rounds N (default 10 per way of waiting), --hold-ms N (default 3000);
//          ldap:// there, ldaps:// on the next port, unused: workerd trusts only public CAs).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startFakeSmsProvider } from './fake-sms-provider.mjs';
import { startLdapServer } from './ldap-server.mjs';
import { prepareLocalState, root, startWorker } from './local-worker.mjs';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '20' },
    port: { type: 'string', default: '8788' },
    path: { type: 'string', default: 'all' },
    'ldap-port': { type: 'string', default: '3894' },
    'wait-rounds': { type: 'string', default: '10' },
    'hold-ms': { type: 'string', default: '3000' },
  },
});
const batches = Number(values.batches);
const concurrency = Number(values.concurrency);
const base = `http://127.0.0.1:${values.port}`;
const PATHS = { sms: ['sms'], push: ['push'], assisted: ['assisted'], wait: ['wait'], ops: ['ops'], both: ['sms', 'push'], all: ['sms', 'push', 'assisted', 'wait', 'ops'] };
if (!Object.hasOwn(PATHS, values.path)) throw new Error(`--path must be sms, push, assisted, wait, ops, both (sms and push) or all, not "${values.path}"`);
const runSms = PATHS[values.path].includes('sms');
const runPush = PATHS[values.path].includes('push');
const runAssisted = PATHS[values.path].includes('assisted');
const runWait = PATHS[values.path].includes('wait');
const runOps = PATHS[values.path].includes('ops');
const waitRounds = Number(values['wait-rounds']);
const holdMs = Number(values['hold-ms']);
/** Durable Object pricing (Workers Paid): duration at 128 MB per object, $12.50 per million GB-s. */
const OBJECT_GB = 0.128;
const DOLLARS_PER_GB_S = 12.5 / 1e6;
/** The authentication the cost is stated for: the person answers after 30 s. */
const COSTED_HOLD_MS = 30_000;
/** Authentications measured one at a time, per path. */
const SEQUENTIAL = 30;
/** GET /health requests whose workerd CPU is the baseline (CPU time is counted in 10 ms ticks, so many). */
const CPU_HEALTH_REQUESTS = 1000;
/** The storage operations the ops path measures (src/api/dev.tsx); `none` is the request alone, the baseline. */
const OPERATIONS = ['none', 'kv-get', 'kv-put', 'kv-list', 'd1-select', 'object-call', 'object-new'];
/** Requests per operation, one at a time. */
const OPERATION_REQUESTS = 300;
/** Pause between two pending pulls of one device while it waits for its request. */
const PULL_INTERVAL_MS = 10;
/**
 * Between an SMS reaching the provider and the tap on Accept. The provider has it while the session and the Worker
 * still finish the start (the session stores the provider's answer, the Worker opens its wait), which no person
 * could interrupt: without a pause the decision leg would measure that tail of the start too. Kept short: on this
 * 2-core VM every leg measures slower after an idle pause (cold caches; 50 ms: about +4 ms, 1 s: +8 ms, with no
 * object woken again), while GET /health is measured back to back. The wait path times a decision 3 s later.
 */
const READING_MS = 5;
/** Assisted path: rounds one at a time (each: a plain SMS, an uncached and a cached assisted start), so p99 is not the maximum. */
const ASSISTED_SEQUENTIAL = 100;
/** The `helpdesk` group of test/ldap/directory.ldif, and its numbers there. */
const APPROVERS = [
  { id: 'hank', msisdn: '+46701110004' },
  { id: 'helen', msisdn: '+46701110005' },
];
/** People of the test directory the help desk may approve (neither approver: nobody approves their own sign-in). */
const USERS = ['alice', 'bob', 'maria', 'ted', 'tina', 'nora', 'sam'];

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
async function setUp(ldap) {
  const login = await fetch(`${base}/admin/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'admin' }) });
  if (!login.ok) throw new Error(`admin sign-in failed: ${login.status}`);
  const admin = { cookie: login.headers.get('set-cookie').split(';')[0] };
  const profile = async (name, settings) => {
    await postJson('/admin/api/profiles', { name, rateLimit: { perMinute: 1000, perHour: 1000 }, smsBudget: { perHour: 100_000, perDay: 100_000 }, ...settings }, admin);
    return (await postJson(`/admin/api/profiles/${name}/tokens`, { name: 'bench' }, admin)).token;
  };
  return {
    admin,
    // The SMS path as it was measured before push existed: no activation link in the SMS. (The assisted path's baseline.)
    smsKey: runSms || runAssisted || runWait ? await profile('bench', { plusActivationLinks: false }) : null,
    pushKey: runPush ? await profile('bench-push', { usePlusIfActivated: true }) : null,
    assistedKey: runAssisted ? await setUpAssisted(admin, ldap, profile) : null,
  };
}

/**
 * Assisted login through the admin JSON API: an LDAP profile for the test directory (ldap:// without StartTLS:
 * workerd would refuse the throwaway CA), an assisted login profile letting the `helpdesk` group approve, and an
 * endpoint like `bench` (no activation links) using them. Also a user in the local database, which the endpoint
 * does not search: editing it is how the bench clears the Worker's directory cache (see clearDirectoryCache).
 */
async function setUpAssisted(admin, ldap, profile) {
  await postJson(
    '/admin/api/ldap-profiles',
    {
      name: 'bench-ldap',
      url: ldap.ldapUrl,
      startTls: false,
      bindDn: ldap.bindDn,
      bindPassword: ldap.bindPassword,
      baseDn: ldap.baseDn,
      userFilter: '(&(objectClass=inetOrgPerson)(uid={id}))',
    },
    admin,
  );
  await postJson('/admin/api/assisted-login-profiles', { name: 'bench-helpdesk', approverGroups: ['helpdesk'], approverIdAttributes: ['uid'] }, admin);
  await postJson('/admin/api/directory-users', { username: CACHE_CLEARER }, admin);
  return profile('bench-assisted', {
    plusActivationLinks: false,
    assistedLogin: { profile: 'bench-helpdesk', useLocalDatabase: false, ldapProfiles: ['bench-ldap'], entraProfiles: [] },
  });
}

// ---------------------------------------------------------------------------------------------
// SMS path: the magic link as the SMS provider receives it.

/** The bench's SMS provider (started below, before the Worker that sends to it). */
let sms = null;

/** Starts an authentication and waits until its SMS reaches the provider; resolves with what the decision needs. */
async function startAuthentication(apiKey, msisdn) {
  const sentMs = performance.now();
  const call = fetch(`${base}/api/sfwa/auth/bench`, { method: 'POST', headers: { 'api-key': apiKey, 'content-type': 'application/json' }, body: JSON.stringify({ msisdn, 'touch-timeout': 60 }) });
  const message = await sms.next(msisdn);
  return { call, link: message.link, startMs: message.receivedMs - sentMs };
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

/** A batch: `concurrency` authentications started together, then all accepted together, a moment after the last SMS arrived. */
async function batchOf(apiKey, msisdns) {
  const started = await Promise.all(msisdns.map((msisdn) => startAuthentication(apiKey, msisdn)));
  await sleep(READING_MS);
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

// ---------------------------------------------------------------------------------------------
// Assisted login path: the approver's magic link as the SMS provider receives it.

/** The local-database user whose edits clear the directory cache (the endpoint never looks there). */
const CACHE_CLEARER = 'bench-cache-clearer';
let cacheClears = 0;

/**
 * Clears the Worker's per-isolate directory cache (src/directory/repositories.ts: 60 s), as any admin edit
 * of the local user database does in the isolate that served it; `wrangler dev` runs one isolate. Untimed.
 */
const clearDirectoryCache = (admin) =>
  json(`/admin/api/directory-users/${CACHE_CLEARER}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...admin },
    body: JSON.stringify({ displayName: `clear ${++cacheClears}` }),
  });

/** `name` in the k-th mix of upper and lower case: uid matches case-insensitively, the cache keys on the spelling. */
function spelled(name, k) {
  const variants = 2 ** name.length;
  return [...name].map((letter, i) => (((k % variants) >> i) & 1 ? letter.toUpperCase() : letter)).join('');
}

/** A promise that settles only by rejecting, when one of the calls fails: a call can be refused before anything is sent. */
function firstFailure(calls) {
  const failure = Promise.race(calls.map((call) => call.then(() => new Promise(() => {}))));
  failure.catch(() => {});
  return failure;
}

/** An API call; resolves with its answer, rejects if it is refused (400, 429, 503 DIRECTORY_UNAVAILABLE, …). */
async function apiCall(apiKey, endpoint, body) {
  const response = await fetch(`${base}/api/sfwa/auth/${endpoint}`, {
    method: 'POST',
    headers: { 'api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, 'touch-timeout': 60 }),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${endpoint} ${JSON.stringify(body)}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

/**
 * Authentications started together; once each SMS has reached the provider, every link is accepted. Resolves
 * with each SMS's time from the sending of the calls to its arrival. Several calls can ask one approver, so a
 * link is not tied to its call: the times are the batch's SMS, in no particular order.
 * `requests[i]`: {apiKey, endpoint, body, msisdn (where the SMS goes), approver (the id the answer must name, if assisted)}.
 */
async function smsBatchOf(requests) {
  const sentMs = performance.now();
  const calls = requests.map(({ apiKey, endpoint, body }) => apiCall(apiKey, endpoint, body));
  const messages = await Promise.race([Promise.all(requests.map(({ msisdn }) => sms.next(msisdn))), firstFailure(calls)]);
  const decisions = messages.map(async ({ link }) => (await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'decision=accept' })).text());
  await Promise.all(decisions);
  for (const [i, answer] of (await Promise.all(calls)).entries()) {
    const approver = requests[i].approver;
    if (answer.code !== 'ACCEPT' || (approver && answer.approver !== approver)) throw new Error(`expected ACCEPT${approver ? ` by ${approver}` : ''}, got ${JSON.stringify(answer)}`);
  }
  return messages.map((message) => message.receivedMs - sentMs);
}

/** Plain SMS authentications on the `bench` endpoint, collected as the assisted ones are. */
const plainBatchOf = (apiKey, msisdns) => smsBatchOf(msisdns.map((msisdn) => ({ apiKey, endpoint: 'bench', body: { msisdn }, msisdn })));

/** Assisted authentications, `asks[i]` = {username, approver, as?}: `as`, how the call spells the approver's id (default: as the directory does). */
const assistedBatchOf = (apiKey, asks) =>
  smsBatchOf(asks.map(({ username, approver, as }) => ({ apiKey, endpoint: 'bench-assisted', body: { username, approver: as ?? approver.id }, msisdn: approver.msisdn, approver: approver.id })));

// ---------------------------------------------------------------------------------------------
// Wait path: what the session's Durable Object is busy for while the person decides.

/** The Worker's waits the wait path compares: over the socket (synchronous call), the older held RPC, and an async start read with ?wait=. */
const WAYS_OF_WAITING = ['socket', 'rpc', 'status'];

/**
 * One authentication waited on `waitBy` ('socket'; 'rpc': the older held RPC; 'status': async, then ?wait=): the page is opened, then
 * Accept is tapped `holdMs` later. Resolves with the object's recorded busy time and the decision -> answer time.
 */
async function heldAuthentication(apiKey, msisdn, waitBy) {
  const headers = {
    'api-key': apiKey,
    'content-type': 'application/json',
    // The session records its busy time only when asked (local development only): the other paths measure its CPU without that.
    'x-bench-busy': '1',
    ...(waitBy === 'rpc' && { 'x-bench-wait': 'rpc' }),
    ...(waitBy === 'status' && { prefer: 'respond-async' }),
  };
  const start = fetch(`${base}/api/sfwa/auth/bench`, { method: 'POST', headers, body: JSON.stringify({ msisdn, 'touch-timeout': 60 }) });
  // 'status': an async start, then the status read held with ?wait= (the caller that cannot hold the start).
  const call =
    waitBy === 'status'
      ? start.then(async (response) => fetch(`${base}/api/sfwa/sessions/${(await response.json()).session}?wait=25`, { headers: { 'api-key': apiKey } }))
      : start;
  const { link } = await sms.next(msisdn);
  await (await fetch(link)).text();
  await sleep(holdMs);
  const decisionToAnswerMs = await accept({ call, link });
  const session = /\/l\/([0-9a-f]+)\//.exec(link)[1];
  // The decision's span is stored as it ends, just after the answer.
  await sleep(50);
  const { busyMs } = await json(`/dev/sessions/${session}/busy`);
  return { busyMs, decisionToAnswerMs };
}

/** The deployed Worker's size as `wrangler deploy --dry-run` reports it ("Total Upload: 701.35 KiB / gzip: 211.99 KiB"). */
function bundleSize() {
  const outdir = mkdtempSync(join(tmpdir(), 'sfwa-bundle-'));
  try {
    const result = spawnSync(`${root}node_modules/.bin/wrangler`, ['deploy', '--dry-run', '--outdir', outdir], { cwd: root, env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, encoding: 'utf8' });
    const match = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(result.stdout + result.stderr);
    if (!match) throw new Error(`wrangler deploy --dry-run did not report a size: ${result.stderr}`);
    return { kib: Number(match[1]), gzipKib: Number(match[2]) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// CPU: the workerd process's own CPU time (user + system, /proc/PID/stat), which runs the Worker, its Durable
// Objects and local D1/KV; wrangler's proxy and this script are other processes, so they are not counted.

const CLOCK_TICKS_PER_S = 100; // Linux's USER_HZ (getconf CLK_TCK)

/** The workerd process running the Worker that `wrangler dev` (pid `rootPid`) started, found among its descendants in /proc. */
function workerdPid(rootPid) {
  const parentOf = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), { ppid: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]), name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
    } catch {
      // gone meanwhile
    }
  }
  const descends = (pid) => {
    for (let at = pid; at > 1; at = parentOf.get(at)?.ppid ?? 0) if (at === rootPid) return true;
    return false;
  };
  // wrangler dev runs two: its proxy on the port asked for, and the runtime of the Worker itself, the one with an inspector.
  const found = [...parentOf]
    .filter(([pid, { name }]) => name === 'workerd' && descends(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--inspector-addr'))
    .map(([pid]) => pid);
  if (found.length !== 1) throw new Error(`expected one workerd runtime under wrangler dev (pid ${rootPid}), found ${found.length}`);
  return found[0];
}

/** CPU time the process has used so far, in ms (utime + stime, fields 14 and 15 of /proc/PID/stat). */
function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

/** The workerd CPU `work` costs, per one of its `count` units; waits for the background work it leaves (log writes) to end first. */
async function cpuPer(pid, count, work) {
  await sleep(300);
  const before = cpuMs(pid);
  await work();
  await sleep(300);
  return (cpuMs(pid) - before) / count;
}

/** `count` requests one at a time, each `send()` resolving once its answer is read; their round trips in ms. */
async function roundTrips(count, send) {
  const samples = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await send();
    samples.push(performance.now() - t0);
  }
  return samples;
}

const trivialRoundTrips = (count) => roundTrips(count, async () => (await fetch(`${base}/health`)).text());

/** The push path needs the development push provider, which records pushes instead of sending them. */
function checkPushProvider() {
  const provider = readFileSync(`${root}.dev.vars`, 'utf8').match(/^PUSH_PROVIDER\s*=\s*"?([^"\r\n]*)"?\s*$/m)?.[1];
  if (provider !== 'dev') {
    throw new Error(`the push path needs PUSH_PROVIDER="dev" in .dev.vars (it has ${provider === undefined ? 'none' : `"${provider}"`}); set it, or run with --path sms`);
  }
}

/** The assisted path's directory is Debian's OpenLDAP server, which the bench expects installed. */
function checkSlapd() {
  if (existsSync('/usr/sbin/slapd') && existsSync('/usr/bin/ldapadd')) return;
  throw new Error(
    'the assisted path needs OpenLDAP\'s server and tools (/usr/sbin/slapd, ldapadd), which are not installed: ' +
      '`sudo apt-get install -y slapd ldap-utils` (Debian, Ubuntu), or run with --path sms|push|both',
  );
}

/** What the assisted path sends to each approver's number must fit the number's rate limit. */
function checkAssistedVolume() {
  const perBatch = Math.ceil(concurrency / APPROVERS.length);
  const perNumber = Math.ceil(ASSISTED_SEQUENTIAL / APPROVERS.length) * 2 + batches * perBatch * 2 + 2;
  if (perNumber > 1000) throw new Error(`the assisted path would send about ${perNumber} SMS to each approver's number, above its rate limit (1000 an hour): use fewer --batches or a lower --concurrency`);
}

if (runAssisted) {
  checkSlapd();
  checkAssistedVolume();
}
const stateDir = mkdtempSync(join(tmpdir(), 'sfwa-bench-'));
let worker = null;
let ldap = null;
let stopped = false;
/** Stops what this run started (the Worker, slapd) and removes the state folder: at the end, after an error, on Ctrl-C. */
function stopAll() {
  if (stopped) return;
  stopped = true;
  worker?.kill();
  ldap?.stop();
  sms?.stop();
  rmSync(stateDir, { recursive: true, force: true });
}
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => {
    stopAll();
    process.exit(code);
  });
}
try {
  await prepareLocalState({ persistTo: stateDir });
  if (runPush) checkPushProvider();
  if (runAssisted) ldap = await startLdapServer({ port: Number(values['ldap-port']) });
  sms = await startFakeSmsProvider();
  worker = await startWorker({ port: Number(values.port), persistTo: stateDir, stdio: 'ignore', vars: sms.vars });
  const keys = await setUp(ldap);
  await trivialRoundTrips(20); // warm up
  if (runSms || runAssisted) await batchOf(keys.smsKey, ['+46700000001']);
  if (runPush) await pushBatchOf(keys, keys.pushKey, ['+46700000002']);
  if (runAssisted) await assistedBatchOf(keys.assistedKey, [{ username: 'alice', approver: APPROVERS[0] }]);
  if (runWait) for (const [i, waitBy] of WAYS_OF_WAITING.entries()) await heldAuthentication(keys.smsKey, `+4670300000${i}`, waitBy);
  const health = await trivialRoundTrips(200);
  const pid = workerdPid(worker.pid);
  const healthCpuMs = await cpuPer(pid, CPU_HEALTH_REQUESTS, () => trivialRoundTrips(CPU_HEALTH_REQUESTS));
  const report = { path: values.path, concurrency, bundle: bundleSize(), trivialRouteMs: { median: round(median(health), 2) }, healthCpuMs: round(healthCpuMs, 3) };
  const lines = [];

  if (runSms) {
    // Uncontended session starts, one at a time like the trivial route, for a like-for-like comparison.
    const sequential = [];
    let number = 46701000000;
    // CPU per authentication, one at a time: the API call, the session, the SMS sent to the provider, the page's
    // Accept, the answer, the log entry (the provider is this script's, so the bench itself adds nothing in workerd).
    const authCpuMs = await cpuPer(pid, SEQUENTIAL, async () => {
      for (let i = 0; i < SEQUENTIAL; i++) sequential.push(...(await batchOf(keys.smsKey, [`+${number++}`])));
    });
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
      sessionStartMs: { median: round(median(start)), concurrentMedian: round(median(results.map((r) => r.startMs))) },
      sessionStartOverTrivialRoute: round(median(start) / median(health)),
      decisionToAnswerOverTrivialRoute: round(median(sequential.map((r) => r.decisionToAnswerMs)) / median(health)),
      cpuPerAuthenticationMs: round(authCpuMs, 2),
      cpuPerAuthenticationOverHealth: round(authCpuMs / healthCpuMs),
    });
    lines.push(
      `SMS path: ${results.length} authentications in batches of ${concurrency} concurrent, and ${SEQUENTIAL} one at a time`,
      `  decision POST -> API answer   median ${report.decisionToAnswerMs.median} ms   p99 ${report.decisionToAnswerMs.p99} ms` +
        `   (one at a time: median ${report.decisionToAnswerOneAtATimeMs.median} ms, p99 ${report.decisionToAnswerOneAtATimeMs.p99} ms)`,
      `  API call -> SMS at provider   median ${report.sessionStartMs.median} ms one at a time, ${report.sessionStartMs.concurrentMedian} ms in the concurrent batches`,
      `                                (session start: validate, key, rate limit, Durable Object, provider)`,
      `  session start / trivial route ${report.sessionStartOverTrivialRoute}x, decision -> answer / trivial route ${report.decisionToAnswerOverTrivialRoute}x (all one at a time)`,
      `  workerd CPU per authentication ${report.cpuPerAuthenticationMs} ms = ${report.cpuPerAuthenticationOverHealth}x a GET /health (${report.healthCpuMs} ms each, over ${CPU_HEALTH_REQUESTS})`,
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

  if (runAssisted) {
    // Each round, one at a time: a plain SMS session start, then an assisted one with the directory cache cleared
    // just before (every lookup goes to slapd: connect, bind, the user's and the approver's search), then the same
    // user and approver again (every lookup answered from the cache the call before filled).
    const runs = { sms: [], uncached: [], cached: [], smsBatches: [], uncachedBatches: [], cachedBatches: [] };
    const take = (series, startMs) => runs[series].push(...startMs);
    let number = 46703000000;
    for (let i = 0; i < ASSISTED_SEQUENTIAL; i++) {
      const ask = [{ username: USERS[i % USERS.length], approver: APPROVERS[i % APPROVERS.length] }];
      take('sms', await plainBatchOf(keys.smsKey, [`+${number++}`]));
      await clearDirectoryCache(keys.admin);
      take('uncached', await assistedBatchOf(keys.assistedKey, ask));
      take('cached', await assistedBatchOf(keys.assistedKey, ask));
    }
    // The same in batches of `concurrency`. In an uncached batch every call spells its user and its approver
    // differently from the others (uid matches case-insensitively; the cache keys on the spelling), so no call
    // can use a lookup another filled; the cached batch repeats the batch.
    for (let batch = 0; batch < batches; batch++) {
      const asks = Array.from({ length: concurrency }, (_, i) => {
        const approver = APPROVERS[i % APPROVERS.length];
        return { username: spelled(USERS[i % USERS.length], Math.floor(i / USERS.length)), approver, as: spelled(approver.id, Math.floor(i / APPROVERS.length)) };
      });
      take('smsBatches', await plainBatchOf(keys.smsKey, Array.from({ length: concurrency }, () => `+${number++}`)));
      await clearDirectoryCache(keys.admin);
      take('uncachedBatches', await assistedBatchOf(keys.assistedKey, asks));
      take('cachedBatches', await assistedBatchOf(keys.assistedKey, asks));
    }
    const ratio = (xs, baseline) => round(median(xs) / median(baseline), 2);
    report.assisted = {
      ldap: ldap.ldapUrl,
      oneAtATime: ASSISTED_SEQUENTIAL,
      concurrent: runs.smsBatches.length,
      smsStartMs: { ...figures(runs.sms), concurrent: figures(runs.smsBatches) },
      uncachedStartMs: { ...figures(runs.uncached), concurrent: figures(runs.uncachedBatches) },
      cachedStartMs: { ...figures(runs.cached), concurrent: figures(runs.cachedBatches) },
      uncachedOverSms: { oneAtATime: ratio(runs.uncached, runs.sms), concurrent: ratio(runs.uncachedBatches, runs.smsBatches) },
      cachedOverSms: { oneAtATime: ratio(runs.cached, runs.sms), concurrent: ratio(runs.cachedBatches, runs.smsBatches) },
    };
    const { assisted } = report;
    const cell = (f, times = null) => `median ${String(f.median).padStart(5)} ms  p99 ${String(f.p99).padStart(5)} ms${times === null ? '' : `  ${times.toFixed(2)}x`}`.padEnd(46);
    lines.push(
      `Assisted login path (LDAP: slapd at ${assisted.ldap}; approvers: group helpdesk): API call with username + approver -> the approver's SMS at the provider`,
      `                                ${`one at a time (${ASSISTED_SEQUENTIAL} each), x plain SMS`.padEnd(46)}batches of ${concurrency} concurrent (${assisted.concurrent} each), x plain SMS`,
      `  plain SMS session start       ${cell(assisted.smsStartMs)}${cell(assisted.smsStartMs.concurrent)}`.trimEnd(),
      `  assisted, cache cleared       ${cell(assisted.uncachedStartMs, assisted.uncachedOverSms.oneAtATime)}${cell(assisted.uncachedStartMs.concurrent, assisted.uncachedOverSms.concurrent)}`.trimEnd(),
      `  assisted, cached lookups      ${cell(assisted.cachedStartMs, assisted.cachedOverSms.oneAtATime)}${cell(assisted.cachedStartMs.concurrent, assisted.cachedOverSms.concurrent)}`.trimEnd(),
      `                                (cache cleared: connect, bind, the user's and the approver's LDAP search; cached: the same call again`,
      `                                within the directory cache's 60 s; both read the assisted login and LDAP profiles in D1 and unseal the bind password)`,
    );
  }

  if (runOps) {
    const measured = [];
    for (const operation of OPERATIONS) {
      let times = [];
      const cpu = await cpuPer(pid, OPERATION_REQUESTS, async () => {
        times = await roundTrips(OPERATION_REQUESTS, async () => {
          const response = await fetch(`${base}/dev/bench/op/${operation}`, { method: 'POST' });
          if (response.status !== 204) throw new Error(`operation ${operation}: ${response.status} ${await response.text()}`);
        });
      });
      measured.push({ operation, cpuMs: cpu, ms: median(times) });
    }
    const [alone, ...operations] = measured;
    report.operations = {
      requestAlone: { cpuMs: round(alone.cpuMs, 2), ms: round(alone.ms, 2) },
      ...Object.fromEntries(operations.map(({ operation, cpuMs, ms }) => [operation, { cpuMs: round(cpuMs - alone.cpuMs, 2), ms: round(ms - alone.ms, 2) }])),
    };
    lines.push(
      `Storage operations, each alone in a request (${OPERATION_REQUESTS} each, one at a time): beyond the request's own ${report.operations.requestAlone.cpuMs} ms of workerd CPU and ${report.operations.requestAlone.ms} ms round trip`,
      ...operations.map(({ operation }) => `  ${operation.padEnd(30)}+${report.operations[operation].cpuMs} ms CPU   +${report.operations[operation].ms} ms round trip`),
    );
  }

  if (runWait) {
    const runs = { socket: [], rpc: [], status: [] };
    let number = 46703000100;
    for (let round = 0; round < waitRounds; round++) for (const waitBy of WAYS_OF_WAITING) runs[waitBy].push(await heldAuthentication(keys.smsKey, `+${number++}`, waitBy));
    /** Busy time of a 30-second authentication: the held RPC is busy for the whole hold, the socket's object only in its events. */
    const costed = (waitBy, busyMs) => (waitBy === 'rpc' ? busyMs - holdMs + COSTED_HOLD_MS : busyMs);
    const summary = (waitBy) => {
      const busy = median(runs[waitBy].map((run) => run.busyMs));
      const gbS = (costed(waitBy, busy) / 1000) * OBJECT_GB;
      return {
        busyMs: round(busy),
        busyMsAt30s: round(costed(waitBy, busy)),
        gbSecondsAt30s: Number(gbS.toPrecision(3)),
        dollarsPerMillionAt30s: Number((gbS * 1e6 * DOLLARS_PER_GB_S).toPrecision(3)),
        decisionToAnswerMs: figures(runs[waitBy].map((run) => run.decisionToAnswerMs)),
      };
    };
    report.wait = { rounds: waitRounds, holdMs, socket: summary('socket'), rpc: summary('rpc'), status: summary('status') };
    const row = (label, w) =>
      `  ${label.padEnd(30)}busy median ${String(w.busyMs).padStart(7)} ms   at 30 s: ${String(w.busyMsAt30s).padStart(7)} ms = ${String(w.gbSecondsAt30s).padStart(8)} GB-s, $${w.dollarsPerMillionAt30s} per million   decision -> answer median ${w.decisionToAnswerMs.median} ms, p99 ${w.decisionToAnswerMs.p99} ms`;
    lines.push(
      `Wait path: ${waitRounds} authentications per way of waiting, each accepted ${holdMs} ms after its page was opened; the session object's busy time`,
      row('hibernatable WebSocket (now)', report.wait.socket),
      row('held RPC wait() (before)', report.wait.rpc),
      row('async + GET …?wait=25', report.wait.status),
      `                                (busy: a request in flight or a handler running, as the object records it locally; at 30 s: the held RPC's`,
      `                                hold replaced by 30 s, the socket's is independent of the hold. 128 MB per object, $12.50 per million GB-s)`,
    );
  }

  console.log(`
SFWA bench (local wrangler dev, --path ${values.path})
  Worker bundle                 ${report.bundle.kib} KiB, ${report.bundle.gzipKib} KiB gzip (wrangler deploy --dry-run)
  GET /health round trip        median ${report.trivialRouteMs.median} ms, workerd CPU ${report.healthCpuMs} ms each
${lines.join('\n')}
${JSON.stringify(report)}`);
} finally {
  stopAll();
}
