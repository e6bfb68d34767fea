// Starts the local Worker once for all browser tests, on its own port and state folder (migrations and the
// local admin/admin seeded as `npm start` does), and stops it afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: plain ESM script shared with `npm start`, no type declarations
import { prepareLocalState, startWorker } from '../../scripts/local-worker.mjs';

const PORT = 8790;

export default async function setup(project: TestProject) {
  const stateDir = mkdtempSync(join(tmpdir(), 'sfwa-e2e-'));
  prepareLocalState({ persistTo: stateDir });
  const worker = await startWorker({ port: PORT, persistTo: stateDir, stdio: 'ignore' });
  project.provide('baseUrl', `http://localhost:${PORT}`);
  return () => {
    worker.kill();
    rmSync(stateDir, { recursive: true, force: true });
  };
}
