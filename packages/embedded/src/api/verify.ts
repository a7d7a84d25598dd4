/**
 * HTTP API request verification (docs/protocol.md#http-api-signing): the decoded query sorted by key, `body_md5` of
 * the raw body (required whenever there is one), `auth_timestamp` within 600 s of the injected
 * clock, `auth_version` 1.0, and a constant-time compare. Every failure is a 401.
 */
import {
  API_AUTH_VERSION,
  API_TIMESTAMP_WINDOW_SECONDS,
  apiStringToSign,
  hmacSha256Hex,
  md5Hex,
  safeEqual,
} from '@pusher-auth-server/pusher-core';
import type { EmbeddedApp } from '../context.js';
import { clip } from '../protocol/codes.js';
import { badRequest, unauthorized } from './errors.js';

interface ApiRequest {
  readonly method: string;
  /** The path as requested, without the query: `/apps/3/events`. */
  readonly path: string;
  /** The raw query string, without `?`. */
  readonly rawQuery: string;
  readonly body: Buffer;
}

const REQUIRED = ['auth_key', 'auth_timestamp', 'auth_version', 'auth_signature'] as const;

const ECHO_LIMIT = 100;

/** Decoded query pairs; a repeated key is refused rather than guessed at. */
function parseQuery(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    if (params.has(key)) throw badRequest(`Duplicate query parameter: ${clip(key, ECHO_LIMIT)}`);
    params.set(key, value);
  }
  return params;
}

/** Returns the decoded query when the request is signed by our app; throws `ApiError` 401 otherwise. */
export function verifyApiRequest(app: EmbeddedApp, request: ApiRequest, nowMs: number): Map<string, string> {
  const params = parseQuery(request.rawQuery);
  for (const name of REQUIRED) {
    if (!params.has(name)) throw unauthorized(`Missing authentication parameter: ${name}`);
  }
  if (params.get('auth_key') !== app.key) throw unauthorized(`Unknown auth_key: ${clip(params.get('auth_key') ?? '', ECHO_LIMIT)}`);
  if (params.get('auth_version') !== API_AUTH_VERSION) throw unauthorized(`Unsupported auth_version: expected ${API_AUTH_VERSION}`);
  const timestamp = params.get('auth_timestamp') ?? '';
  const nowSeconds = Math.floor(nowMs / 1000);
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > API_TIMESTAMP_WINDOW_SECONDS) {
    throw unauthorized(
      `Timestamp expired: Given timestamp (${clip(timestamp, ECHO_LIMIT)}) not within ${API_TIMESTAMP_WINDOW_SECONDS}s of server time (${nowSeconds})`,
    );
  }
  const bodyMd5 = params.get('body_md5');
  if (bodyMd5 === undefined && request.body.length > 0) throw unauthorized('Missing body_md5: a request with a body must sign its MD5');
  if (bodyMd5 !== undefined && !safeEqual(bodyMd5, md5Hex(request.body))) {
    throw unauthorized(`Invalid body_md5: the MD5 of the body received is ${md5Hex(request.body)}`);
  }
  const stringToSign = apiStringToSign(request.method, request.path, [...params]);
  const received = params.get('auth_signature') ?? '';
  if (!safeEqual(hmacSha256Hex(app.secret, stringToSign), received)) {
    throw unauthorized(
      `Invalid signature: you should have sent HmacSHA256Hex(${JSON.stringify(stringToSign)}, your_secret_key), but you sent ${JSON.stringify(clip(received, ECHO_LIMIT))}`,
    );
  }
  return params;
}
