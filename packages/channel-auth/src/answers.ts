/**
 * What a decision answers, written once: a signature (200), a refusal (403) or "could not decide"
 * (502), with the deciding rule and reason in `details` when explaining is on.
 */
import { HttpError } from './http/errors.js';
import type { Failure, Refusal } from './policy/engine.js';
import type { JoinDecision } from './policy/join.js';

/** A route's answer, for any framework: `res.status(status).json(body)`. */
export interface AuthAnswer {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
}

/** What the policy decides for a user and channel, without signing. */
export type Explanation =
  | { readonly allow: true; readonly rule: string }
  | { readonly allow: false; readonly rule: string | null; readonly reason: string }
  /** Nothing was decided: a rule threw or took too long, or the app at AUTHZ_URL failed (`status`: its answer's). */
  | { readonly allow: false; readonly failed: true; readonly rule: string | null; readonly reason: string; readonly status?: number };

type Refused = Exclude<Explanation, { allow: true }>;

export function explanationOf(decision: JoinDecision): Explanation {
  return decision.verdict === 'allow' ? { allow: true, rule: decision.rule } : refusalOf(decision);
}

export function refusalOf(decision: Refusal | Failure): Refused {
  const { rule, reason } = decision;
  if (decision.verdict === 'deny') return { allow: false, rule, reason };
  return { allow: false, failed: true, rule, reason, ...(decision.status === undefined ? {} : { status: decision.status }) };
}

/**
 * The refusal for an explanation that does not allow: `action` completes "you may not …"
 * (`join private-x`); `subject` is who asked, when that is not the caller (`user 1`).
 */
export function refusalError(explanation: Refused, action: string, explain: boolean, subject = 'you'): HttpError {
  const { rule, reason } = explanation;
  const failed = 'failed' in explanation;
  const status = failed ? explanation.status : undefined;
  const details = explain ? { rule, reason, ...(status === undefined ? {} : { status }) } : undefined;
  if (failed) return new HttpError('upstream_error', `Could not decide whether ${subject} may ${action}.`, details);
  return new HttpError('forbidden', `${subject.charAt(0).toUpperCase()}${subject.slice(1)} may not ${action}.`, details);
}

export function answerOf(error: HttpError): AuthAnswer {
  return { status: error.status, body: error.toBody() };
}

export const ok = (body: Readonly<Record<string, unknown>>): AuthAnswer => ({ status: 200, body });

export const NOBODY = answerOf(new HttpError('unauthenticated'));
