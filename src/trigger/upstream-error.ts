/** Turns whatever the `pusher` SDK rejected with into one 502 that says why and holds no secret. */
import Pusher from 'pusher';
import { HttpError } from '../errors.js';
import { parseJsonObject } from '@pusher-auth-server/pusher-core';

interface UpstreamDetails {
  /** The Pusher service's HTTP status, or null when it never answered. */
  readonly status: number | null;
  /** Its answer (clipped, secrets removed), or what went wrong on the way. */
  readonly reason: string;
}

const REASON_MAX_CHARS = 500;

/** What was asked of the Pusher service, in the words of the 502 that says it failed. */
export interface UpstreamAction {
  /** Completes "The Pusher service refused …". */
  readonly refused: string;
  /** Completes "… failed before reaching the Pusher service." */
  readonly failed: string;
}

export const PUBLISHING: UpstreamAction = { refused: 'the event', failed: 'Publishing' };
export const TERMINATING: UpstreamAction = { refused: "to close the user's connections", failed: 'Terminating' };

function clip(text: string, secrets: readonly string[]): string {
  let clean = text.trim();
  for (const secret of secrets) if (secret.length > 0) clean = clean.split(secret).join('[redacted]');
  return clean.length > REASON_MAX_CHARS ? `${clean.slice(0, REASON_MAX_CHARS)}…` : clean;
}

function causeOf(err: Pusher.RequestError): { name?: unknown; code?: unknown; type?: unknown } {
  const cause: unknown = err.error;
  return typeof cause === 'object' && cause !== null ? cause : {};
}

/** What a Pusher-protocol server answered, as the SDK resolves it. */
export interface UpstreamAnswer {
  readonly status: number;
  text(): Promise<string>;
}

/**
 * soketi (and others) refuse with HTTP 200 and `{"error":"…","code":401}`: an answer whose body
 * carries an `error` is a refusal whatever its status, with the body's `code` when it has one.
 */
export async function refusalInAnswer(answer: UpstreamAnswer, secrets: readonly string[], action = PUBLISHING): Promise<HttpError | undefined> {
  const body = parseJsonObject(await answer.text());
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

/**
 * `secrets` are scrubbed from the upstream answer before it is shown (defence in depth: a server
 * that echoes its input must not make us echo a credential).
 */
export function upstreamError(err: unknown, timeoutMs: number, secrets: readonly string[], action = PUBLISHING): HttpError {
  if (!(err instanceof Pusher.RequestError)) {
    const reason = err instanceof Error ? clip(err.message, secrets) : 'unknown failure';
    return new HttpError('upstream_error', `${action.failed} failed before reaching the Pusher service.`, {
      status: null,
      reason,
    } satisfies UpstreamDetails);
  }
  if (typeof err.status === 'number') return refused(err.status, err.body ?? '', secrets, action);
  const cause = causeOf(err);
  if (cause.name === 'AbortError' || cause.type === 'aborted') {
    return new HttpError('upstream_error', `The Pusher service did not answer within ${timeoutMs} ms.`, {
      status: null,
      reason: 'timeout',
    } satisfies UpstreamDetails);
  }
  const code = typeof cause.code === 'string' ? cause.code : 'network error';
  return new HttpError('upstream_error', `The Pusher service could not be reached (${code}).`, {
    status: null,
    reason: `connection failed: ${code}`,
  } satisfies UpstreamDetails);
}
