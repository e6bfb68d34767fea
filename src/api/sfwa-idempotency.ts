/**
 * The start's Idempotency-Key: claims the key for this profile in its Durable Object (see
 * auth-session/idempotency-key.ts for the guarantee across locations) before any check that counts or
 * sends, so a retry neither sends a second SMS nor counts twice against the rate limit.
 */
import type { Context } from 'hono';
import { apiError } from '../domain/api-error';
import { canonicalParameters, IDEMPOTENCY_HEADER, IDEMPOTENCY_WINDOW_MINUTES, idempotencyKeySchema } from '../domain/idempotency';
import type { Profile } from '../domain/profile';
import { inJurisdiction, type Env } from '../env';
import { sha256Hex } from '../security/crypto';

export interface StartClaim {
  /** The session an earlier request with this key started, to answer from; null for a new start. */
  replayOf: string | null;
  /** True when the request carried a key. */
  keyed: boolean;
  /** The new start's session: later requests with the key get it. */
  started(sessionId: string): Promise<void>;
  /** The request was refused before a session existed: the key is free again (no-op once started). */
  releaseUnlessStarted(): Promise<void>;
}

const UNKEYED: StartClaim = { replayOf: null, keyed: false, started: async () => undefined, releaseUnlessStarted: async () => undefined };

/** `request`: the parsed parameters, so a retry that writes the number differently is still the same request. */
export async function claimStart(c: Context<{ Bindings: Env }>, profile: Pick<Profile, 'id'>, request: Record<string, unknown>): Promise<StartClaim> {
  const header = c.req.header(IDEMPOTENCY_HEADER);
  if (header === undefined) return UNKEYED;
  const key = idempotencyKeySchema.safeParse(header);
  if (!key.success) throw apiError('BAD_REQUEST', { errors: [{ field: IDEMPOTENCY_HEADER, message: key.error.issues[0]!.message }] });
  const [keyHash, fingerprint] = await Promise.all([sha256Hex(key.data), sha256Hex(canonicalParameters(request))]);
  const namespace = inJurisdiction(c.env, c.env.IDEMPOTENCY_KEY);
  const stub = namespace.get(namespace.idFromName(`${profile.id}:${keyHash}`));
  const claim = await stub.claim(fingerprint);
  if (claim.result === 'conflict') {
    throw apiError('UNPROCESSABLE_CONTENT', {
      errors: [{ field: IDEMPOTENCY_HEADER, message: `was used in the last ${IDEMPOTENCY_WINDOW_MINUTES} minutes with other parameters; use a new key for a new request` }],
    });
  }
  if (claim.result === 'same') return { ...UNKEYED, keyed: true, replayOf: claim.sessionId };
  let startedSession = false;
  return {
    replayOf: null,
    keyed: true,
    started: async (sessionId) => {
      startedSession = true;
      await stub.started(sessionId);
    },
    releaseUnlessStarted: async () => {
      if (!startedSession) await stub.released();
    },
  };
}
