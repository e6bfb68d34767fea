// Starts the local Worker once for all browser tests, on its own port and state folder (migrations and the
// local admin/admin seeded as `npm start` does), and the test directory (slapd) for assisted login;
// stops both afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: plain ESM script shared with `npm start`, no type declarations
import { prepareLocalState, startWorker } from '../../scripts/local-worker.mjs';
// @ts-expect-error: as above
import { startLdapServer } from '../../scripts/ldap-server.mjs';

const PORT = 8790;
const LDAP_PORT = Number(process.env['E2E_LDAP_PORT'] || 3896);

export default async function setup(project: TestProject) {
  const stateDir = mkdtempSync(join(tmpdir(), 'sfwa-e2e-'));
  await prepareLocalState({ persistTo: stateDir });
  const ldap = await startLdapServer({ port: LDAP_PORT });
  const worker = await startWorker({ port: PORT, persistTo: stateDir, stdio: 'ignore' });
  project.provide('baseUrl', `http://localhost:${PORT}`);
  // ldap://, not ldaps://: workerd trusts only public CAs, and the test CA is not one.
  project.provide('ldapUrl', ldap.ldapUrl);
  return () => {
    worker.kill();
    ldap.stop();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
