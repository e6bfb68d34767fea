/**
 * A small per-isolate cache with a time-to-live. Workers keep module state per isolate, so this
 * saves D1 round trips on warm isolates; entries are dropped at once in the isolate that changed
 * them and expire within `ttlMs` everywhere else.
 */
export class IsolateCache<V> {
  readonly #entries = new Map<string, { value: V; storedAtMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  async get(key: string, nowMs: number, load: () => Promise<V>): Promise<V> {
    const hit = this.#entries.get(key);
    if (hit && nowMs - hit.storedAtMs < this.ttlMs) return hit.value;
    const value = await load();
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, { value, storedAtMs: nowMs });
    return value;
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
