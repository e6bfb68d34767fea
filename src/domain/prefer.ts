/**
 * RFC 7240 `Prefer`: the caller's `respond-async` (answer 202 at once, the outcome later) and `wait=N`
 * (with respond-async: hold up to N seconds for the outcome first). Unknown preferences are ignored,
 * as the RFC asks; a `wait` that is not a whole number of seconds is ignored too.
 */
export interface Preferences {
  respondAsync: boolean;
  waitSeconds: number | null;
}

export function parsePrefer(header: string | null | undefined): Preferences {
  const preferences: Preferences = { respondAsync: false, waitSeconds: null };
  // Preferences are comma-separated, their parameters semicolon-separated; `respond-async; wait=10` is read as both too.
  for (const token of (header ?? '').split(/[,;]/)) {
    const [name = '', value] = token.split('=').map((part) => part.trim().replace(/^"(.*)"$/, '$1'));
    const preference = name.toLowerCase();
    if (preference === 'respond-async') preferences.respondAsync = true;
    if (preference === 'wait' && value !== undefined && /^\d{1,6}$/.test(value)) preferences.waitSeconds = Number(value);
  }
  return preferences;
}
