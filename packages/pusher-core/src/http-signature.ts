/** Pure signing of Pusher HTTP API requests (docs/protocol.md#http-api-signing). */
import { createHash } from 'node:crypto';
import { hmacSha256Hex, type AppCredentials } from './signature.js';

export const API_AUTH_VERSION = '1.0';
export const API_TIMESTAMP_WINDOW_SECONDS = 600;

export type QueryParams = ReadonlyArray<readonly [string, string]>;

export function md5Hex(body: string | Buffer): string {
  return createHash('md5').update(body).digest('hex');
}

/** `k=v` pairs sorted by key (plain code-unit order), values as they are (decoded), `auth_signature` left out. */
export function sortedQueryToSign(params: QueryParams): string {
  return params
    .filter(([key]) => key !== 'auth_signature')
    .map(([key, value]) => [key, value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

/** `METHOD\n/apps/<id>/path\nsorted query`. */
export function apiStringToSign(method: string, path: string, params: QueryParams): string {
  return `${method.toUpperCase()}\n${path}\n${sortedQueryToSign(params)}`;
}

export function apiSignature(secret: string, method: string, path: string, params: QueryParams): string {
  return hmacSha256Hex(secret, apiStringToSign(method, path, params));
}

export interface ApiRequestToSign {
  method: string;
  /** The full path, `/apps/<id>/events`. */
  path: string;
  /** Unix seconds. */
  timestampSeconds: number;
  body?: string | Buffer;
  params?: Readonly<Record<string, string>>;
}

/** The query string a client sends: auth params, `body_md5` when there is a body, then `auth_signature`. */
export function signedApiQuery(app: AppCredentials, request: ApiRequestToSign): string {
  const params: Array<[string, string]> = [
    ['auth_key', app.key],
    ['auth_timestamp', String(request.timestampSeconds)],
    ['auth_version', API_AUTH_VERSION],
  ];
  if (request.body !== undefined && request.body.length > 0) params.push(['body_md5', md5Hex(request.body)]);
  for (const [key, value] of Object.entries(request.params ?? {})) params.push([key, value]);
  const signature = apiSignature(app.secret, request.method, request.path, params);
  const encoded = params.map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
  return `${encoded.join('&')}&auth_signature=${signature}`;
}
