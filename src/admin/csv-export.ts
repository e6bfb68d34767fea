/** CSV downloads of the console's logs: the header, then each chunk of rows as D1 returns it, streamed. */
import { csvLine } from '../domain/csv';

export function csvStream<T>(header: readonly string[], chunks: AsyncGenerator<T[]>, cells: (row: T) => readonly (string | number)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(header)));
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value.map((row) => csvLine(cells(row))).join('')));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** `{name}-2026-12-02.csv` */
export const csvFilename = (name: string, nowMs: number): string => `${name}-${new Date(nowMs).toISOString().slice(0, 10)}.csv`;
