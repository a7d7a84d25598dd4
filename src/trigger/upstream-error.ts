/**
 * Turns what the Pusher service answered, or did not, into one error that says why and holds no
 * secret: 502 `upstream_error` when it refused or was never reached, 504 `upstream_timeout` when
 * the outcome is unknown (the request left, no complete answer came back).
 */
import { HttpError } from '../errors.js';
import { parseJsonObject } from '@pusher-auth-server/pusher-core';
import { ANSWER_MAX_BYTES, NoAnswer, type UpstreamAnswer } from './signed-post.js';

interface UpstreamDetails {
  /** The Pusher service's HTTP status, or null when it never answered. */
  readonly status: number | null;
  /** Its answer (clipped, secrets removed), or what went wrong on the way. */
  readonly reason: string;
}

const REASON_MAX_CHARS = 500;

/** What was asked of the Pusher service, in the words of the errors that say how it went. */
export interface UpstreamAction {
  /** Completes "The Pusher service refused …" (`the event`). */
  readonly refused: string;
  /** Completes "… failed before reaching the Pusher service." (`Publishing`). */
  readonly failed: string;
  /** What the service may have done when no answer came (`the event may have been delivered`). */
  readonly effect: string;
}

function clip(text: string, secrets: readonly string[]): string {
  let clean = text.trim();
  for (const secret of secrets) if (secret.length > 0) clean = clean.split(secret).join('[redacted]');
  return clean.length > REASON_MAX_CHARS ? `${clean.slice(0, REASON_MAX_CHARS)}…` : clean;
}

const isSuccess = (status: number) => status >= 200 && status < 300;
const TOO_LARGE = `an answer over ${ANSWER_MAX_BYTES} bytes, not read`;

/**
 * A status other than 2xx is a refusal (the service's API never redirects). soketi (and others) also refuse with HTTP 200 and
 * `{"error":"…","code":401}`: an answer whose body carries an `error` is a refusal whatever its
 * status, with the body's `code` when it has one. A success too large to read is an unknown outcome.
 */
export function refusalInAnswer(answer: UpstreamAnswer, secrets: readonly string[], action: UpstreamAction): HttpError | undefined {
  if (!isSuccess(answer.status)) return refused(answer.status, answer.body ?? TOO_LARGE, secrets, action);
  if (answer.body === undefined) return unknownOutcome(`The Pusher service answered HTTP ${answer.status} with ${TOO_LARGE}`, action.effect, answer.status, 'answer too large');
  const body = parseJsonObject(answer.body);
  if (body === undefined || body.error === undefined || body.error === null) return undefined;
  const code = body.code;
  const status = typeof code === 'number' && Number.isInteger(code) && code >= 400 && code <= 599 ? code : answer.status;
  return refused(status, typeof body.error === 'string' ? body.error : JSON.stringify(body.error), secrets, action);
}

function refused(status: number, body: string, secrets: readonly string[], action: UpstreamAction): HttpError {
  const reason = clip(body, secrets) || `HTTP ${status} with an empty body`;
  return new HttpError('upstream_error', `The Pusher service refused ${action.refused} (HTTP ${status}).`, {
    status,
    reason,
  } satisfies UpstreamDetails);
}

function unknownOutcome(what: string, effect: string, status: number | null, reason: string): HttpError {
  return new HttpError('upstream_timeout', `${what}: ${effect}. Check before sending it again.`, { status, reason } satisfies UpstreamDetails);
}

/**
 * `action` says what was asked: what was refused, what failed on the way, and what the service may
 * have done with a request whose answer never came (`the event may have been delivered`). `secrets` are scrubbed from any text
 * shown (defence in depth: a server that echoes its input must not make us echo a credential).
 */
export function upstreamError(err: unknown, timeoutMs: number, secrets: readonly string[], action: UpstreamAction): HttpError {
  if (!(err instanceof NoAnswer)) {
    const reason = err instanceof Error ? clip(err.message, secrets) : 'unknown failure';
    return new HttpError('upstream_error', `${action.failed} failed before reaching the Pusher service.`, {
      status: null,
      reason,
    } satisfies UpstreamDetails);
  }
  const { sent, failure: cause, status } = err;
  // The head of a refusal arrived, its body did not: refused all the same.
  if (status !== undefined && !isSuccess(status)) return refused(status, `the answer was cut off (${cause})`, secrets, action);
  if (!sent) {
    const what = cause === 'timeout' ? `within ${timeoutMs} ms` : `(${cause})`;
    return new HttpError('upstream_error', `The Pusher service could not be reached ${what}.`, {
      status: null,
      reason: cause === 'timeout' ? 'timeout before sending' : `connection failed: ${cause}`,
    } satisfies UpstreamDetails);
  }
  if (cause === 'timeout') return unknownOutcome(`The Pusher service did not answer within ${timeoutMs} ms`, action.effect, status ?? null, 'timeout');
  return unknownOutcome(`The connection to the Pusher service was lost before its answer (${cause})`, action.effect, status ?? null, `connection lost: ${cause}`);
}
