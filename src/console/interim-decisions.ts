/**
 * INTERIM CONSOLE SEAM, until src/policy reports every decision itself (issue 11's observer):
 * wraps today's channel authorizer and records each of its decisions for the console. Its
 * `onDecision` says the verdict and rule; the reason comes from the 403's details (AUTH_EXPLAIN).
 * User authentications are not seen here. Replace with the policy's observer, then delete.
 */
import type { AuthDecisionEvent, ChannelAuthorizer } from '../auth/authorize-channel.js';
import { HttpError } from '../errors.js';
import type { DecisionSink } from './decision-log.js';

export function recordingAuthorizer(
  create: (onDecision: (event: AuthDecisionEvent) => void) => ChannelAuthorizer,
  sink: DecisionSink,
  clock: () => number,
): ChannelAuthorizer {
  let last: AuthDecisionEvent | undefined;
  const authorize = create((event) => (last = event));
  return (user, socketId, channel) => {
    const started = performance.now();
    last = undefined;
    const record = (reason: string | undefined) => {
      if (!last) return;
      sink.publish({
        time: new Date(clock()).toISOString(),
        userId: user.id,
        channel,
        kind: last.kind,
        verdict: last.verdict,
        rule: last.rule,
        ...(reason === undefined ? {} : { reason }),
        durationMs: performance.now() - started,
      });
    };
    try {
      const answer = authorize(user, socketId, channel);
      record(undefined);
      return answer;
    } catch (err) {
      const details = err instanceof HttpError ? (err.details as { reason?: string } | undefined) : undefined;
      record(details?.reason);
      throw err;
    }
  };
}
