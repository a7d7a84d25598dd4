/**
 * AUTHZ_URL: a channel no rule matches is decided by the app (docs/design.md#authz-url).
 * `200 {"allow":true}` allows; `200 {"allow":false,"reason"?}` refuses; anything else is a
 * failure (a 502 for the caller), never an allow.
 */
import { readCappedText } from '../http/capped-body.js';
import { createDecisionCache, type DecisionCache } from './decision-cache.js';
import type { Decision, Failure } from './engine.js';
import type { JoinRequest } from './join.js';
import { createLimiter } from './limiter.js';

const AUTHZ_RULE = 'AUTHZ_URL';
const MAX_ANSWER_BYTES = 64 * 1024;
const DEFAULT_REASON = 'the app at AUTHZ_URL refused';
/** The app's reason goes into 403 bodies, logs and the console: one short line. */
const REASON_MAX_CHARS = 200;
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
/**
 * Requests to the app at once; more wait their turn. A batch of 100 channels nobody has a rule
 * for must not become 100 simultaneous requests to the app (nor 100 sockets and buffers here).
 */
export const AUTHZ_MAX_CONCURRENT = 16;
/** Asks waiting for a turn; past this the ask fails at once (a 502) rather than queue without end. */
const AUTHZ_MAX_WAITING = 1000;

export interface AuthzUrlOptions {
  readonly url: string;
  readonly token?: string | undefined;
  /** 0 (the default): ask every time. */
  readonly cacheSeconds?: number;
  /** The whole ask, waiting for a turn included. */
  readonly timeoutMs: number;
  readonly clock: () => number;
  readonly maxConcurrent?: number;
  readonly maxWaiting?: number;
}

export interface AuthzUrl {
  ask(request: JoinRequest): Promise<Decision>;
  /** Forgets this user's cached answers and those still on their way: terminating a user calls it. */
  forgetUser(userId: string): void;
}

export function createAuthzUrl(options: AuthzUrlOptions): AuthzUrl {
  const cacheSeconds = options.cacheSeconds ?? 0;
  const cache: DecisionCache | undefined = cacheSeconds > 0 ? createDecisionCache(cacheSeconds, options.clock) : undefined;
  const limiter = createLimiter(options.maxConcurrent ?? AUTHZ_MAX_CONCURRENT, options.maxWaiting ?? AUTHZ_MAX_WAITING);
  // Identical asks (the same user and channel) waiting for the app share its one answer.
  const inFlight = new Map<string, { readonly userId: string; readonly answer: Promise<Decision> }>();
  const askAndRemember = async (request: JoinRequest): Promise<Decision> => {
    const pending = cache?.begin(request.user.id);
    try {
      const deadline = AbortSignal.timeout(options.timeoutMs);
      const decision = await limiter.run(deadline, () => askApp(options, request, deadline), () => failure(`has more than ${limiter.capacity} asks waiting`));
      if (decision.verdict !== 'error') pending?.remember(request.channel, decision);
      return decision;
    } finally {
      pending?.end();
    }
  };
  return {
    ask(request) {
      const cached = cache?.get(request.user.id, request.channel);
      if (cached) return Promise.resolve(cached);
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

async function askApp(
  { url, token, timeoutMs }: AuthzUrlOptions,
  { user, channel, socketId }: JoinRequest,
  deadline: AbortSignal,
): Promise<Decision> {
  const body = JSON.stringify({
    user: { id: user.id, ...(user.info === undefined ? {} : { info: user.info }) },
    channel,
    ...(socketId === undefined ? {} : { socket_id: socketId }),
  });
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  let text: string;
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: deadline, redirect: 'manual' });
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
