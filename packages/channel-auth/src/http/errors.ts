/**
 * One HTTP error type and one registry of codes: every refusal answers
 * `{"error":{"code","message","details"?}}` with the code's status (docs/design.md#error-shape).
 */
import type { Request } from 'express';

export const ERROR_CODES = {
  invalid_request: { status: 400, message: 'The request is not valid.' },
  unauthenticated: { status: 401, message: 'Nobody is identified: send a valid bearer token or session.' },
  forbidden: { status: 403, message: 'You may not do that.' },
  not_found: { status: 404, message: 'There is nothing here.' },
  payload_too_large: { status: 413, message: 'The request body is too large.' },
  unsupported_media_type: { status: 415, message: 'The content type is not supported here.' },
  rate_limited: { status: 429, message: 'Too many requests: slow down and try again shortly.' },
  internal: { status: 500, message: 'Something went wrong on our side.' },
  upstream_error: { status: 502, message: 'An upstream service failed or did not answer in time.' },
  trigger_disabled: { status: 503, message: 'Publishing is disabled: no TRIGGER_TOKEN is configured.' },
  upstream_timeout: { status: 504, message: 'The upstream service gave no answer in time: the request may have taken effect.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** On every JSON answer: an API answer is never a page to sniff, nor anything to keep (a signature least of all). */
export const API_ANSWER_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } as const;

export type ErrorBody = {
  error: { code: ErrorCode; message: string; details?: unknown };
};

export class HttpError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = ERROR_CODES[code].status;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { error: { code: this.code, message: this.message } };
    if (this.details !== undefined) body.error.details = this.details;
    return body;
  }
}

/**
 * A zlib or brotli failure while inflating: the body parsers pass it on untyped, as a 400 that
 * carries the stream's `errno`. Only a request that declared a Content-Encoding is inflated.
 */
function isDecodingError(err: object, req: Request): boolean {
  const encoded = (req.headers['content-encoding'] ?? 'identity').toLowerCase() !== 'identity';
  return encoded && 'status' in err && err.status === 400 && 'errno' in err;
}

/**
 * Errors raised by Express's body parsers (body-parser and raw-body), mapped by their `type`, then
 * by their kind, never by message. Anything they raise with a 4xx status is the client's fault.
 */
function fromBodyParserError(err: unknown, req: Request): HttpError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  switch ('type' in err ? err.type : undefined) {
    case 'entity.too.large':
      return new HttpError('payload_too_large');
    case 'entity.parse.failed':
      return new HttpError('invalid_request', 'The request body is not valid JSON.');
    case 'charset.unsupported':
      return new HttpError('unsupported_media_type', 'Only utf-8 bodies are accepted.');
    case 'encoding.unsupported':
      return new HttpError('unsupported_media_type', 'Send the body with no Content-Encoding, or gzip, deflate or br.');
    case 'parameters.too.many':
      return new HttpError('invalid_request', 'The request body has too many parameters.');
    case 'request.aborted':
      return new HttpError('invalid_request', 'The request body was cut off before its end.');
    case 'request.size.invalid':
      return new HttpError('invalid_request', 'The request body does not match its Content-Length.');
  }
  if (isDecodingError(err, req)) return new HttpError('invalid_request', 'The request body is not valid data for its Content-Encoding.');
  return undefined;
}

/** Express's router cannot decode a route parameter (`/users/%zz/terminate`); its message echoes the input. */
const isUndecodableParam = (err: unknown) => err instanceof URIError && (err as { status?: unknown }).status === 400;

/** The `HttpError` an error stands for (ours, a body parser's, an undecodable URL), or `undefined` for a bug. */
export function httpErrorOf(err: unknown, req: Request): HttpError | undefined {
  if (err instanceof HttpError) return err;
  if (isUndecodableParam(err)) return new HttpError('invalid_request', 'The URL has a malformed percent-escape.');
  return fromBodyParserError(err, req);
}

/** The client hung up mid-body: its doing, and nobody is left to answer. */
export function isClientAbort(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'type' in err && err.type === 'request.aborted';
}
