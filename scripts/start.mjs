// `npm start`: a local Worker on http://localhost:8787 with local D1, KV and Durable Objects, ready to try.
import { prepareLocalState, startWorker } from './local-worker.mjs';

await prepareLocalState();
const worker = await startWorker({ port: 8787 });
console.log(`
  SFWA service running on http://localhost:8787
    Admin console:      http://localhost:8787/admin       admin / admin (local only)
    Admin API sign-in:  POST /admin/api/session
    SMS outbox:         http://localhost:8787/dev/phone?msisdn=%2B46701234567
    OpenAPI:            http://localhost:8787/api/openapi.json
  See README.md for the walkthrough. Ctrl+C stops.
`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => worker.kill(signal));
worker.on('exit', (code) => process.exit(code ?? 0));
