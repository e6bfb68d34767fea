/**
 * Setup file of the worker project: every line the Worker and its Durable Objects log during any test
 * (they share the test's isolate, so its console) must be one JSON object with an `event`, and carry no
 * full phone number (README "Observability"). A test that breaks this fails, naming the line.
 */
import { afterEach, beforeEach, expect } from 'vitest';

const FULL_NUMBER = /\+?\b\d{9,15}\b/;
const methods = ['log', 'info', 'warn', 'error'] as const;
const originals = Object.fromEntries(methods.map((method) => [method, console[method]])) as Record<(typeof methods)[number], (...args: unknown[]) => void>;
let lines: string[] = [];

beforeEach(() => {
  lines = [];
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
      originals[method](...args);
    };
  }
});

/**
 * ldapts's debug lines: the deployed bundle silences them (wrangler.toml aliases node:util to
 * src/directory/ldap/quiet-node-util.ts), but the test runner does not apply wrangler's [alias].
 */
const isLdaptsDebugLine = (line: string) => line.startsWith('LDAPTS: ');

afterEach(() => {
  for (const method of methods) console[method] = originals[method];
  for (const line of lines.filter((line) => !isLdaptsDebugLine(line))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      expect.fail(`a log line is not JSON: ${line}`);
    }
    expect(typeof (parsed as { event?: unknown }).event, `a log line without an event: ${line}`).toBe('string');
    expect(FULL_NUMBER.test(line), `a log line with a full number: ${line}`).toBe(false);
  }
});
