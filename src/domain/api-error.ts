/** The closed set of API error codes and their HTTP statuses: the one mapping to the wire. */
import { HTTPException } from 'hono/http-exception';
import type { FieldError } from './auth-request';

export const API_ERROR_STATUS = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  /** A valid request that cannot be taken as it stands: an Idempotency-Key reused with other parameters. */
  UNPROCESSABLE_CONTENT: 422,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  DELIVERY_FAILED: 502,
  UNAVAILABLE: 503,
  /** Assisted login: a user repository (LDAP, Entra ID) could not be reached or refused the service account. */
  DIRECTORY_UNAVAILABLE: 503,
} as const;
export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

const DEFAULT_MESSAGE: Record<ApiErrorCode, string> = {
  BAD_REQUEST: 'The request is invalid',
  UNAUTHORIZED: 'Missing or invalid credentials',
  FORBIDDEN: 'Not allowed for your role',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflicts with existing data',
  GONE: 'No longer valid: already used or expired',
  PAYLOAD_TOO_LARGE: 'The request body is too large',
  UNPROCESSABLE_CONTENT: 'The request cannot be processed as it stands',
  RATE_LIMITED: 'Too many requests for this phone number; try again later',
  INTERNAL_ERROR: 'Internal error',
  DELIVERY_FAILED: 'The authentication message could not be delivered',
  UNAVAILABLE: 'The service is temporarily unavailable; try again',
  DIRECTORY_UNAVAILABLE: 'A user directory could not be reached; try again later',
};

/**
 * Why a request was refused as RATE_LIMITED (429), beside the code: too many for the phone number, the
 * number blocked after "this wasn't me", the profile's SMS budget used up, too many refused API keys
 * from the caller's address, too many failed console sign-ins.
 */
export const RATE_LIMIT_REASONS = ['number', 'blocked', 'budget', 'client', 'sign-in'] as const;
export type RateLimitReason = (typeof RATE_LIMIT_REASONS)[number];

const RATE_LIMIT_MESSAGE: Record<RateLimitReason, string> = {
  number: 'Too many requests for this phone number; try again later',
  blocked: "This phone number's owner reported a request as not theirs, so the endpoint sends nothing to it for a while; try again later",
  budget: "This endpoint's SMS budget is used up for now; try again later",
  client: 'Too many refused API keys from your address; try again later',
  'sign-in': 'Too many failed sign-in attempts; try again later',
};

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** With RATE_LIMITED: which limit. */
  reason?: RateLimitReason;
  errors?: FieldError[];
}

/**
 * The one thrown error type: an HTTPException, so `app.onError` sends its response as is, that also
 * keeps its body as data, so the console can show the same field errors beside its form fields.
 */
export class ApiError extends HTTPException {
  constructor(
    readonly body: ApiErrorBody,
    res: Response,
  ) {
    super(API_ERROR_STATUS[body.code], { res });
  }
}

/** `{ code, message, errors? }` with its status, as an ApiError to throw. */
export function apiError(
  code: ApiErrorCode,
  detail?: { message?: string; reason?: RateLimitReason; errors?: FieldError[]; headers?: Record<string, string> },
): ApiError {
  const body: ApiErrorBody = {
    code,
    message: detail?.message ?? (detail?.errors?.length ? detail.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : DEFAULT_MESSAGE[code]),
    ...(detail?.reason && { reason: detail.reason }),
    ...(detail?.errors && { errors: detail.errors }),
  };
  const res = new Response(JSON.stringify(body), {
    status: API_ERROR_STATUS[code],
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...detail?.headers },
  });
  return new ApiError(body, res);
}

/** 429 RATE_LIMITED with which limit it was and, in Retry-After, when to try again. */
export const rateLimited = (reason: RateLimitReason, retryAfterSeconds: number): ApiError =>
  apiError('RATE_LIMITED', { reason, message: RATE_LIMIT_MESSAGE[reason], headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
