/**
 * Request bodies, read the same way by every API: at most REQUEST_BODY_MAX_BYTES (413 beyond, before
 * anything is parsed), and a body that cannot be parsed is a 400 naming `(body)`, never a 500.
 */
import type { Context } from 'hono';
import type * as z from '../domain/zod';
import { parseInput } from '../admin/validation';
import { apiError } from '../domain/api-error';
import { REQUEST_BODY_MAX_BYTES } from '../domain/constants';

const bodyError = (message: string) => apiError('BAD_REQUEST', { errors: [{ field: '(body)', message }] });
const tooLarge = () => apiError('PAYLOAD_TOO_LARGE', { message: `The request body is larger than ${REQUEST_BODY_MAX_BYTES / 1024} KiB` });

/** The body's bytes; a declared or actual size over the limit stops reading at once. */
async function readBytes(request: Request): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > REQUEST_BODY_MAX_BYTES) throw tooLarge();
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > REQUEST_BODY_MAX_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** The body as text, within the same size limit. */
export const readBodyText = async (request: Request): Promise<string> => new TextDecoder().decode(await readBytes(request));

const mediaType = (request: Request): string => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

async function readJson(request: Request): Promise<unknown> {
  const text = new TextDecoder().decode(await readBytes(request));
  try {
    return JSON.parse(text);
  } catch {
    throw bodyError('is not valid JSON');
  }
}

/** The request's JSON body, validated by `schema` (admin and app APIs: JSON only). */
export async function readJsonBody<T extends z.ZodMiniType>(c: Context, schema: T): Promise<z.output<T>> {
  // JSON only: a cross-site form or text/plain POST needs no CORS preflight, a JSON one does.
  if (mediaType(c.req.raw) !== 'application/json') throw bodyError('must be sent with content-type: application/json');
  return parseInput(schema, await readJson(c.req.raw));
}

/**
 * The parameters in a body: a JSON object, a form (urlencoded or multipart; text fields only), or
 * nothing when there is no content type. Anything else is a 400 naming `(body)`.
 */
export async function readBodyParameters(request: Request): Promise<Record<string, unknown>> {
  const type = mediaType(request);
  if (type === '') return {};
  if (type === 'application/json') {
    const body = await readJson(request);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bodyError('must be a JSON object');
    return body as Record<string, unknown>;
  }
  if (type === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(new TextDecoder().decode(await readBytes(request))));
  }
  if (type === 'multipart/form-data') {
    const bytes = await readBytes(request);
    let form: FormData;
    try {
      form = await new Response(bytes, { headers: { 'content-type': request.headers.get('content-type') ?? '' } }).formData();
    } catch {
      throw bodyError('is not a valid multipart/form-data body');
    }
    const parameters: Record<string, unknown> = {};
    for (const [name, value] of form) {
      if (typeof value !== 'string') throw apiError('BAD_REQUEST', { errors: [{ field: name, message: 'must be text, not a file' }] });
      parameters[name] = value;
    }
    return parameters;
  }
  throw bodyError('must be application/json, application/x-www-form-urlencoded or multipart/form-data');
}
