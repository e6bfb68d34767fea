/**
 * Local development only: one Durable Object per number's outbox, told each time a message is recorded,
 * so a reader of /dev/outbox can wait for the next message (`?wait=N`) instead of polling KV. The
 * waiting costs nothing but the one held call; `npm run bench` waits for its magic links this way.
 * Counts live in memory: after a restart the count starts again, which only makes a reader look once more.
 */
import { DurableObject } from 'cloudflare:workers';
import type { OutboxSignalRpc } from '../../durable-objects';
import type { Env } from '../../env';
import type { OutboxMessage } from './outbox';

export class OutboxSignal extends DurableObject<Env> implements OutboxSignalRpc {
  #recorded = 0;
  #latest: OutboxMessage | null = null;
  readonly #waiting = new Set<() => void>();

  /** How many messages were recorded since this object started. */
  async count(): Promise<number> {
    return this.#recorded;
  }

  async recorded(message: OutboxMessage): Promise<void> {
    this.#recorded += 1;
    this.#latest = message;
    for (const wake of [...this.#waiting]) wake();
  }

  /** The newest message once more than `seen` were recorded, or null after `waitMs`. */
  async waitBeyond(seen: number, waitMs: number): Promise<OutboxMessage | null> {
    if (this.#recorded > seen) return this.#latest;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiting.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      this.#waiting.add(wake);
    });
    return this.#recorded > seen ? this.#latest : null;
  }
}
