/** IDENTITY_URL: ask an existing app "who is this session?" with the caller's Cookie and Authorization. */
import type { User } from '@pusher-auth-server/channel-auth';
import { identityClaimsSchema, userFromClaims } from './user.js';
import { HttpError } from '../errors.js';
import { readCappedText } from '@pusher-auth-server/channel-auth/http';
import { parseJsonObject } from '@pusher-auth-server/pusher-core';

const FORWARD_AUTH_TIMEOUT_MS = 2000;
const IDENTITY_ANSWER_MAX_BYTES = 64 * 1024;

export interface ForwardedCredentials {
  readonly cookie: string | undefined;
  readonly authorization: string | undefined;
}

export type ForwardAuth = (credentials: ForwardedCredentials) => Promise<User | undefined>;

/**
 * 200 with `{id, info?, channels?, expiresAt?}` (seconds since the epoch) is the user; 401/403 is nobody (`undefined`);
 * anything else, an unreadable answer, one over 64 KB or no answer within the timeout is a 502.
 */
export function createForwardAuth(identityUrl: string, timeoutMs = FORWARD_AUTH_TIMEOUT_MS): ForwardAuth {
  return async ({ cookie, authorization }) => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (cookie !== undefined) headers.cookie = cookie;
    if (authorization !== undefined) headers.authorization = authorization;
    let response: Response;
    try {
      response = await fetch(identityUrl, { headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    } catch (cause) {
      const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
      throw upstream(timedOut ? `did not answer within ${timeoutMs} ms` : 'could not be reached');
    }
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      return undefined;
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw upstream(`answered ${response.status}`, response.status);
    }
    const text = await readCappedText(response, IDENTITY_ANSWER_MAX_BYTES).catch(() => '');
    if (text === undefined) throw upstream(`answered with more than ${IDENTITY_ANSWER_MAX_BYTES} bytes`, 200);
    const body = parseJsonObject(text);
    const parsed = identityClaimsSchema.safeParse(renameInfo(body));
    if (!parsed.success) throw upstream('answered 200 without a valid {"id"} object', 200);
    return userFromClaims(parsed.data);
  };
}

/** The identity service answers `info`; the claims schema calls it `user_info`. */
function renameInfo(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { info, ...rest } = body as Record<string, unknown>;
  return info === undefined ? rest : { ...rest, user_info: info };
}

function upstream(problem: string, status?: number): HttpError {
  return new HttpError('upstream_error', `The identity service ${problem}.`, {
    source: 'IDENTITY_URL',
    ...(status === undefined ? {} : { status }),
  });
}
