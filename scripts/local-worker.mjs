// Shared by `npm start` and `npm run bench`: prepares local D1 (migrations, the local admin) and starts `wrangler dev`.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { newReceiptKey } from './receipt-key.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
const wrangler = `${root}node_modules/.bin/wrangler`;
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' };

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
}

/** A .dev.vars from an older checkout gets the settings added since (it is never overwritten). */
function addMissingDevVars() {
  const names = (text) => new Set([...text.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((match) => match[1]));
  const example = readFileSync(`${root}.dev.vars.example`, 'utf8');
  const present = names(readFileSync(`${root}.dev.vars`, 'utf8'));
  const missing = example.split('\n').filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line) && !present.has(line.split('=')[0]));
  if (!missing.length) return;
  appendFileSync(`${root}.dev.vars`, `\n# Added from .dev.vars.example\n${missing.join('\n')}\n`);
  console.log(`.dev.vars: added ${missing.map((line) => line.split('=')[0]).join(', ')} from .dev.vars.example`);
}

/** Local development signs receipts with a key of its own, made once and kept in .dev.vars (never a deployment's). */
async function addReceiptKey() {
  if (/^RECEIPT_SIGNING_KEY=/m.test(readFileSync(`${root}.dev.vars`, 'utf8'))) return;
  const { privateJwk } = await newReceiptKey();
  appendFileSync(`${root}.dev.vars`, `\n# Signs receipts locally; made by npm start (a deployment sets its own: npm run receipt-key).\nRECEIPT_SIGNING_KEY='${JSON.stringify(privateJwk)}'\n`);
}

/** Local state a newcomer needs: .dev.vars (with a receipt key), migrations applied, and the local admin/admin super administrator. */
export async function prepareLocalState({ persistTo } = {}) {
  if (!existsSync(`${root}.dev.vars`)) copyFileSync(`${root}.dev.vars.example`, `${root}.dev.vars`);
  else addMissingDevVars();
  await addReceiptKey();
  const persist = persistTo ? ['--persist-to', persistTo] : [];
  run(wrangler, ['d1', 'migrations', 'apply', 'DB', '--local', ...persist]);
  run(process.execPath, [`${root}scripts/create-admin.mjs`, '--local', '--username', 'admin', '--password', 'admin', '--role', 'superadmin', ...persist]);
}

/**
 * Starts `wrangler dev` on the local-development entry (src/local-dev.tsx: the Worker plus /dev routes); resolves with the
 * child process once the Worker answers on the port. `vars`: settings on top of .dev.vars (`--var`), e.g. another SMS provider.
 */
export async function startWorker({ port = 8787, persistTo, stdio = 'inherit', vars = {} } = {}) {
  const persist = persistTo ? ['--persist-to', persistTo] : [];
  const settings = Object.entries(vars).flatMap(([name, value]) => ['--var', `${name}:${value}`]);
  const child = spawn(wrangler, ['dev', 'src/local-dev.tsx', '--port', String(port), '--ip', '127.0.0.1', ...persist, ...settings], { cwd: root, env, stdio });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill();
  throw new Error('wrangler dev did not answer within 60 s');
}
