import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

const run = (operation: string) => SELF.fetch(`http://localhost/dev/bench/op/${operation}`, { method: 'POST' });

describe("the benchmark's storage operations (npm run bench -- --path ops)", () => {
  it('runs each operation once per request, outside the service\'s own data', async () => {
    for (const operation of ['none', 'kv-get', 'kv-put', 'kv-list', 'd1-select', 'object-call', 'object-new']) {
      expect((await run(operation)).status, operation).toBe(204);
    }
    // kv-put wrote one key under bench:op:, with a one-minute expiry, and nothing else.
    const { keys } = await env.KV.list({ prefix: 'bench:op:' });
    expect(keys).toHaveLength(1);
    expect(keys[0]!.expiration).toBeGreaterThan(Date.now() / 1000);
  });

  it('names the operations it knows when asked for another (an object\'s own properties are not operations)', async () => {
    for (const unknown of ['kv-delete-all', 'constructor', 'toString']) {
      const response = await run(unknown);
      expect(response.status, unknown).toBe(404);
      expect((await response.json<{ message: string }>()).message).toContain('kv-get, kv-put, kv-list, d1-select, object-call, object-new');
    }
  });
});
