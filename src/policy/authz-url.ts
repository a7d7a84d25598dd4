/**
 * AUTHZ_URL: a channel no rule of src/channels.ts matches is decided by the app (DESIGN 11).
 * `200 {"allow":true}` allows; `200 {"allow":false,"reason"?}` refuses; anything else is a
 * failure (a 502 for the caller), never an allow.
 */
import { createDecisionCache, type DecisionCache } from './decision-cache.js';
import type { Decision, Failure } from './engine.js';
import type { MaybePromise } from './maybe-async.js';
import type { JoinRequest } from './join.js';

const AUTHZ_RULE = 'AUTHZ_URL';
const MAX_ANSWER_BYTES = 64 * 1024;
const DEFAULT_REASON = 'the app at AUTHZ_URL refused';

export interface AuthzUrlOptions {
  readonly url: string;
  readonly token: string | undefined;
  /** 0: ask every time. */
  readonly cacheSeconds: number;
  readonly timeoutMs: number;
  readonly clock: () => number;
}

export interface AuthzUrl {
  /** The app's decision; answered from the cache (without a promise) when it remembers one. */
  ask(request: JoinRequest): MaybePromise<Decision>;
  /** Forgets this user's cached answers: the terminate route calls it. */
  forgetUser(userId: string): void;
}

export function createAuthzUrl(options: AuthzUrlOptions): AuthzUrl {
  const cache: DecisionCache | undefined =
    options.cacheSeconds > 0 ? createDecisionCache(options.cacheSeconds, options.clock) : undefined;
  return {
    ask(request) {
      const cached = cache?.get(request.user.id, request.channel);
      if (cached) return cached;
      return askApp(options, request).then((decision) => {
        if (decision.verdict !== 'error') cache?.remember(request.user.id, request.channel, decision);
        return decision;
      });
    },
    forgetUser: (userId) => cache?.forgetUser(userId),
  };
}

async function askApp({ url, token, timeoutMs }: AuthzUrlOptions, { user, channel, socketId }: JoinRequest): Promise<Decision> {
  const body = JSON.stringify({
    user: { id: user.id, ...(user.info === undefined ? {} : { info: user.info }) },
    channel,
    ...(socketId === undefined ? {} : { socket_id: socketId }),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let text: string;
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    if (response.status !== 200) {
      await response.body?.cancel();
      return failure(`answered ${response.status}`, response.status);
    }
    const read = await readUpTo(response, MAX_ANSWER_BYTES);
    if (read === undefined) return failure(`answered more than ${MAX_ANSWER_BYTES / 1024} KB`, 200);
    text = read;
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
    return timedOut ? failure(`did not answer within ${timeoutMs} ms`) : { ...failure('could not be reached'), cause };
  }
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return failure('answered 200 with a body that is not JSON', 200);
  }
  const { allow, reason } = (typeof answer === 'object' && answer !== null ? answer : {}) as Record<string, unknown>;
  if (allow === true) return { verdict: 'allow', rule: AUTHZ_RULE, pattern: AUTHZ_RULE };
  if (allow !== false) return failure('answered 200 without a boolean "allow"', 200);
  const sentence = typeof reason === 'string' && reason.trim() !== '' ? reason : DEFAULT_REASON;
  return { verdict: 'deny', rule: AUTHZ_RULE, pattern: AUTHZ_RULE, reason: sentence };
}

function failure(reason: string, status?: number): Failure {
  return { verdict: 'error', rule: AUTHZ_RULE, pattern: AUTHZ_RULE, reason, ...(status === undefined ? {} : { status }) };
}

/** The body as text, or `undefined` once it grows past `limit` bytes (the rest is not read). */
async function readUpTo(response: Response, limit: number): Promise<string | undefined> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > limit) return undefined; // leaving the loop cancels the rest of the body
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
