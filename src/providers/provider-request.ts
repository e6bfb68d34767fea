/** What every SMS and push provider adapter shares: the one failure type, the fetch they are given, and one request under a timeout. */

/** The provider refused or could not be reached; `detail` is safe to log (no secrets, no full number). */
export class DeliveryError extends Error {
  /**
   * `aboutNumber`: the provider refused the number itself (invalid, unreachable, not a mobile): another
   * provider would refuse it too, so an SMS is not failed over for it.
   */
  constructor(
    readonly provider: string,
    readonly detail: string,
    readonly aboutNumber = false,
  ) {
    super(`${provider}: ${detail}`);
  }
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export const PROVIDER_TIMEOUT_MS = 10_000;

export interface ProviderResponse {
  status: number;
  ok: boolean;
  /** The response text when asked for, else "". */
  text: string;
}

/**
 * One provider request under PROVIDER_TIMEOUT_MS. A network failure or timeout becomes
 * DeliveryError(provider, `${label}request failed: <ErrorName>`); statuses are left to the caller.
 */
export async function providerRequest(
  provider: string,
  fetcher: FetchLike,
  url: string,
  init: RequestInit,
  options: { readBody?: boolean; label?: string } = {},
): Promise<ProviderResponse> {
  // A cleared timer rather than AbortSignal.timeout(), whose pending timer would keep the session object busy.
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), PROVIDER_TIMEOUT_MS);
  try {
    const response = await fetcher(url, { ...init, signal: controller.signal });
    let text = '';
    if (options.readBody) text = await response.text();
    else await response.body?.cancel();
    return { status: response.status, ok: response.ok, text };
  } catch (error) {
    throw new DeliveryError(provider, `${options.label ?? ''}request failed: ${error instanceof Error ? error.name : 'error'}`);
  } finally {
    clearTimeout(timer);
  }
}
