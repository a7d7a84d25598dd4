/**
 * AUTHZ_URL: a channel no rule of src/channels.ts matches is decided by the app (DESIGN 11).
 * `200 {"allow":true}` allows; `200 {"allow":false,"reason"?}` refuses; anything else is a
 * failure (a 502 for the caller), never an allow.
 */
import { readCappedText } from '../http/capped-body.js';
import { createDecisionCache, type DecisionCache } from './decision-cache.js';
import type { Decision, Failure } from './engine.js';
import type { MaybePromise } from './maybe-async.js';
import type { JoinRequest } from './join.js';

const AUTHZ_RULE = 'AUTHZ_URL';
const MAX_ANSWER_BYTES = 64 * 1024;
const DEFAULT_REASON = 'the app at AUTHZ_URL refused';
/** The app's reason goes into 403 bodies, logs and the console: one short line. */
const REASON_MAX_CHARS = 200;
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

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
  /** Forgets this user's cached answers and those still on their way: the terminate route calls it. */
  forgetUser(userId: string): void;
}

export function createAuthzUrl(options: AuthzUrlOptions): AuthzUrl {
  const cache: DecisionCache | undefined =
    options.cacheSeconds > 0 ? createDecisionCache(options.cacheSeconds, options.clock) : undefined;
  // Identical asks (the same user and channel) waiting for the app share its one answer.
  const inFlight = new Map<string, { readonly userId: string; readonly answer: Promise<Decision> }>();
  const askAndRemember = async (request: JoinRequest): Promise<Decision> => {
    const pending = cache?.begin(request.user.id);
    try {
      const decision = await askApp(options, request);
      if (decision.verdict !== 'error') pending?.remember(request.channel, decision);
      return decision;
    } finally {
      pending?.end();
    }
  };
  return {
    ask(request) {
      const cached = cache?.get(request.user.id, request.channel);
      if (cached) return cached;
      const key = `${request.user.id}\n${request.channel}`; // neither may hold a newline
      const shared = inFlight.get(key);
      if (shared) return shared.answer;
      const answer = askAndRemember(request).finally(() => {
        if (inFlight.get(key)?.answer === answer) inFlight.delete(key);
      });
      inFlight.set(key, { userId: request.user.id, answer });
      return answer;
    },
    forgetUser(userId) {
      cache?.forgetUser(userId);
      // An answer asked for before the user was forgotten must not serve their next ask.
      for (const [key, asking] of inFlight) if (asking.userId === userId) inFlight.delete(key);
    },
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
    const read = await readCappedText(response, MAX_ANSWER_BYTES);
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
  return { verdict: 'deny', rule: AUTHZ_RULE, pattern: AUTHZ_RULE, reason: printableReason(reason) };
}

/** The app's reason on one line of at most REASON_MAX_CHARS characters, or the default sentence. */
function printableReason(reason: unknown): string {
  const line = typeof reason === 'string' ? reason.replace(UNPRINTABLE, ' ').trim() : '';
  if (line === '') return DEFAULT_REASON;
  const chars = Array.from(line);
  return chars.length > REASON_MAX_CHARS ? `${chars.slice(0, REASON_MAX_CHARS - 1).join('')}…` : line;
}

function failure(reason: string, status?: number): Failure {
  return { verdict: 'error', rule: AUTHZ_RULE, pattern: AUTHZ_RULE, reason, ...(status === undefined ? {} : { status }) };
}
