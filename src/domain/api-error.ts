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
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  DELIVERY_FAILED: 502,
  UNAVAILABLE: 503,
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
  RATE_LIMITED: 'Too many requests for this phone number; try again later',
  INTERNAL_ERROR: 'Internal error',
  DELIVERY_FAILED: 'The authentication message could not be delivered',
  UNAVAILABLE: 'The service is temporarily unavailable; try again',
};

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
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
export function apiError(code: ApiErrorCode, detail?: { message?: string; errors?: FieldError[]; headers?: Record<string, string> }): ApiError {
  const body: ApiErrorBody = {
    code,
    message: detail?.message ?? (detail?.errors?.length ? detail.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : DEFAULT_MESSAGE[code]),
    ...(detail?.errors && { errors: detail.errors }),
  };
  const res = new Response(JSON.stringify(body), {
    status: API_ERROR_STATUS[code],
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...detail?.headers },
  });
  return new ApiError(body, res);
}
