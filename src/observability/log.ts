/**
 * Every log line is one JSON object with an `event` (Workers Logs indexes its fields). A full phone
 * number never gets into one: any E.164-looking run of digits is masked on the way out, whatever put it there.
 */
import { maskMsisdn } from '../domain/msisdn';

export type LogLevel = 'info' | 'warn' | 'error';

const FULL_NUMBER = /\+\d{7,15}/g;

const write: Record<LogLevel, (line: string) => void> = {
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
};

/** `session`, when there is one, is the session id's first 8 characters (enough to find it, not to open it). */
export function logEvent(level: LogLevel, event: string, fields: Record<string, unknown> = {}): void {
  write[level](JSON.stringify({ event, ...fields }).replace(FULL_NUMBER, (number) => maskMsisdn(number)));
}

/** An error's message for a log line. */
export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
