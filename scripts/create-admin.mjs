#!/usr/bin/env node
/**
 * Creates an admin console account in the D1 database through wrangler.
 *
 *   node scripts/create-admin.mjs --local|--remote [--username admin] [--password admin] [--role superadmin] [--persist-to DIR]
 *
 * Locally it defaults to admin/admin (used by `npm start`). With --remote an explicit strong password is
 * required, since a default would be known to everyone who read this file. INSERT OR IGNORE: an
 * existing account of that name is left unchanged.
 */
import { spawnSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import { parseArgs } from 'node:util';

// Same as src/domain/constants.ts. The hash records its iteration count, so a mismatch would still verify.
const PASSWORD_PBKDF2_ITERATIONS = 100_000;
const PASSWORD_MIN_LENGTH = 10;
const ROLES = ['user', 'admin', 'superadmin'];
const USERNAME = /^[A-Za-z0-9._@-]{3,64}$/;

const USAGE = 'usage: node scripts/create-admin.mjs --local|--remote [--username admin] [--password admin] [--role superadmin]';

function fail(message) {
  console.error(`${message}\n${USAGE}`);
  process.exit(1);
}

/** The format of hashPassword() in src/security/crypto.ts: `pbkdf2-sha256$<iterations>$<salt>$<hash>`, base64url parts. */
async function hashPassword(password) {
  const salt = webcrypto.getRandomValues(new Uint8Array(16));
  const key = await webcrypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await webcrypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: PASSWORD_PBKDF2_ITERATIONS }, key, 256);
  const base64url = (bytes) => Buffer.from(bytes).toString('base64url');
  return `pbkdf2-sha256$${PASSWORD_PBKDF2_ITERATIONS}$${base64url(salt)}$${base64url(new Uint8Array(bits))}`;
}

const sqlText = (value) => `'${value.replaceAll("'", "''")}'`;

let args;
try {
  args = parseArgs({
    options: {
      local: { type: 'boolean', default: false },
      remote: { type: 'boolean', default: false },
      username: { type: 'string', default: 'admin' },
      password: { type: 'string' },
      role: { type: 'string', default: 'superadmin' },
      'persist-to': { type: 'string' },
    },
  }).values;
} catch (error) {
  fail(error.message);
}

if (args.local === args.remote) fail('Give exactly one of --local and --remote.');
if (!USERNAME.test(args.username)) fail('The username must be 3–64 characters of letters, digits, ".", "_", "@" and "-".');
if (!ROLES.includes(args.role)) fail(`The role must be one of ${ROLES.join(', ')}.`);
if (args.remote && (args.password === undefined || args.password.length < PASSWORD_MIN_LENGTH)) {
  fail(`--remote needs an explicit --password of at least ${PASSWORD_MIN_LENGTH} characters.`);
}
const password = args.password ?? 'admin';

const sql =
  'INSERT OR IGNORE INTO users (username, password_hash, role) VALUES ' +
  `(${sqlText(args.username)}, ${sqlText(await hashPassword(password))}, ${sqlText(args.role)})`;

const persist = args['persist-to'] ? ['--persist-to', args['persist-to']] : [];
const wrangler = spawnSync('npx', ['wrangler', 'd1', 'execute', 'DB', args.remote ? '--remote' : '--local', ...persist, '--command', sql], {
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  shell: process.platform === 'win32',
});
if (wrangler.status !== 0) process.exit(wrangler.status ?? 1);
console.log(`Account "${args.username}" (${args.role}) is in the ${args.remote ? 'remote' : 'local'} database (an existing one was left unchanged).`);
