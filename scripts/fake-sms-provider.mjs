// The bench's SMS provider: a local HTTP server that answers as 46elks does (POST /a1/sms, form `from`, `to`,
// `message`, Basic auth), so the Worker sends through its real adapter, as a deployment does, and a message is
// "recorded" the moment the provider receives it. Nothing of it runs in workerd: the bench neither polls the
// Worker for its SMS nor adds storage work to what it measures.
import { createServer } from 'node:http';

const USERNAME = 'bench';
const PASSWORD = 'bench-password';
const EXPECTED_AUTHORIZATION = `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`;
/** The magic link inside an SMS body (the Worker's link route). */
const LINK = /https?:\/\/\S+\/l\/[0-9a-f]+\/\S+/;

/**
 * Starts the provider on a free loopback port. Resolves with the Worker settings that send to it (`vars`), and
 * `next(msisdn)`: the next message to that number not taken yet, `{ to, text, link, receivedMs }` (receivedMs
 * on performance.now()'s clock), waiting for it when it has not arrived.
 */
export async function startFakeSmsProvider() {
  const arrived = new Map(); // number -> messages not taken yet
  const waiting = new Map(); // number -> resolvers waiting for its next message
  const queueOf = (map, msisdn) => map.get(msisdn) ?? map.set(msisdn, []).get(msisdn);

  const server = createServer((request, response) => {
    const receivedMs = performance.now();
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/a1/sms' || request.headers.authorization !== EXPECTED_AUTHORIZATION) {
        response.writeHead(401).end('unauthorized');
        return;
      }
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const message = { to: form.get('to'), text: form.get('message'), link: LINK.exec(form.get('message') ?? '')?.[0] ?? null, receivedMs };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `s${Math.random().toString(16).slice(2)}`, status: 'created' }));
      const resolve = waiting.get(message.to)?.shift();
      if (resolve) resolve(message);
      else queueOf(arrived, message.to).push(message);
    });
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    vars: { SMS_PROVIDERS: '46elks', ELKS_API_URL: `http://127.0.0.1:${port}`, ELKS_USERNAME: USERNAME, ELKS_PASSWORD: PASSWORD },
    next: (msisdn) => {
      const message = arrived.get(msisdn)?.shift();
      return message ? Promise.resolve(message) : new Promise((resolve) => queueOf(waiting, msisdn).push(resolve));
    },
    stop: () => server.close(),
  };
}
