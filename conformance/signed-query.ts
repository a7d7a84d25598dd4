/**
 * Signs an HTTP API request by hand, for the requests the SDK will not send (a stale timestamp, a
 * body_md5 of other bytes). The kit's own code: it checks a server, so it shares none of its code.
 */
import { createHash, createHmac } from 'node:crypto';

export interface RequestToSign {
  readonly method: string;
  /** `/apps/<id>/events`. */
  readonly path: string;
  readonly timestampSeconds: number;
  /** The bytes `body_md5` is computed over. */
  readonly body?: string;
}

/** `auth_key`, `auth_timestamp`, `auth_version`, `body_md5` when there is a body, then `auth_signature`. */
export function signedQuery(credentials: { key: string; secret: string }, request: RequestToSign): string {
  const params: Array<[string, string]> = [
    ['auth_key', credentials.key],
    ['auth_timestamp', String(request.timestampSeconds)],
    ['auth_version', '1.0'],
  ];
  if (request.body) params.push(['body_md5', createHash('md5').update(request.body).digest('hex')]);
  // Already in key order; the values need no escaping (a key, digits, hex).
  const query = params.map(([key, value]) => `${key}=${value}`).join('&');
  const signature = createHmac('sha256', credentials.secret).update(`${request.method}\n${request.path}\n${query}`).digest('hex');
  return `${query}&auth_signature=${signature}`;
}
