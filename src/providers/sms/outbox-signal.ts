/**
 * Local development only: one Durable Object for the whole outbox, told each time a message is recorded,
 * so a reader of /dev/outbox can wait for a number's next message (`?wait=N`) instead of polling KV. The
 * waiting costs nothing but the one held call; `npm run bench` waits for its magic links this way, so one
 * object (not one per number) keeps the bench from creating an object per authentication it measures.
 * It remembers, in memory, when each number's newest message was recorded: after a restart it knows of
 * none, which only makes a reader wait for the next one.
 */
import { DurableObject } from 'cloudflare:workers';
import type { OutboxSignalRpc } from '../../durable-objects';
import type { Env } from '../../env';
import type { OutboxMessage } from './outbox';

/** Numbers remembered; past this the one recorded to longest ago is forgotten (a reader of it then waits for its next message). */
const REMEMBERED_OUTBOXES = 10_000;

export class OutboxSignal extends DurableObject<Env> implements OutboxSignalRpc {
  readonly #newest = new Map<string, { recordedAtMs: number; message: OutboxMessage }>();
  readonly #waiting = new Map<string, Set<() => void>>();

  /** `outbox`: the number's key prefix; called once the message is stored. */
  async recorded(outbox: string, message: OutboxMessage): Promise<void> {
    this.#newest.delete(outbox);
    this.#newest.set(outbox, { recordedAtMs: Date.now(), message });
    if (this.#newest.size > REMEMBERED_OUTBOXES) this.#newest.delete(this.#newest.keys().next().value!);
    for (const wake of [...(this.#waiting.get(outbox) ?? [])]) wake();
  }

  /**
   * The number's newest message if one was recorded at or after `sinceMs` (when the reader began its own
   * read of the outbox, which saw every message stored before it); otherwise the next one within `waitMs`, or null.
   */
  async nextSince(outbox: string, sinceMs: number, waitMs: number): Promise<OutboxMessage | null> {
    const recent = () => {
      const newest = this.#newest.get(outbox);
      return newest && newest.recordedAtMs >= sinceMs ? newest.message : null;
    };
    const already = recent();
    if (already) return already;
    const waiting = this.#waiting.get(outbox) ?? new Set();
    this.#waiting.set(outbox, waiting);
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        if (!waiting.size) this.#waiting.delete(outbox);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      waiting.add(wake);
    });
    return recent();
  }
}
