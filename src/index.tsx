/**
 * The deployed Worker (wrangler.toml `main`): the HTTP app and nightly job of src/app.tsx, and the
 * Durable Object classes. Local development runs src/local-dev.tsx instead, which adds the /dev routes,
 * so the outbox pages and the app simulator are not in the production bundle.
 */
import { worker } from './app';

export { GuessThrottle } from './abuse/guess-throttle';
export { SmsBudgetCounter } from './abuse/sms-budget';
export { AuthSession } from './auth-session/auth-session';
export { IdempotencyKey } from './auth-session/idempotency-key';
export { OutboxSignal } from './providers/sms/outbox-signal';

export default worker;
