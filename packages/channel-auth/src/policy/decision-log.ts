/**
 * Every authorization is told once: a log line (never a token, signature or secret) and an event
 * for whoever observes decisions (metrics, the operator console).
 */
import { performance } from 'node:perf_hooks';
import type { ChannelKind, Logger } from '@pusher-auth-server/pusher-core';
import type { JoinDecision } from './join.js';
import type { User } from './user.js';

export interface DecisionEvent {
  /** When it was decided: the injected clock, in milliseconds since the epoch. */
  readonly time: number;
  readonly userId: string;
  /** `null` for a user authentication (`pusher.signin()`). */
  readonly channel: string | null;
  readonly kind: ChannelKind | 'user';
  /** `error`: nothing was decided (a rule failed or took too long, AUTHZ_URL failed); the answer is a 502. */
  readonly verdict: 'allow' | 'deny' | 'error';
  /** What decided: the pattern or the claim glob; null when no rule matched, and for a sign-in. */
  readonly rule: string | null;
  /** The deciding rule's fixed pattern (never a user-supplied glob): safe as a metrics label. */
  readonly pattern: string | null;
  /** Why not, in one sentence; null when allowed. */
  readonly reason: string | null;
  /** How long deciding took (for a sign-in: identifying the user). */
  readonly durationMs: number;
}

export type DecisionObserver = (event: DecisionEvent) => void;

export interface DecisionLog {
  /** `startedAt` is a `performance.now()` reading taken before deciding. */
  channel(user: User, channel: string, kind: ChannelKind, decision: JoinDecision, startedAt: number): void;
  user(user: User, startedAt: number): void;
}

interface DecisionLogOptions {
  readonly logger: Logger;
  readonly clock: () => number;
  readonly onDecision?: DecisionObserver | undefined;
}

export function createDecisionLog({ logger, clock, onDecision }: DecisionLogOptions): DecisionLog {
  /** A decision taken is answered whatever an observer does: what one throws is logged, never rethrown. */
  const tell = (event: DecisionEvent) => {
    try {
      onDecision?.(event);
    } catch (err) {
      logger.warn({ err }, 'a decision observer failed');
    }
  };
  return {
    channel(user, channel, kind, decision, startedAt) {
      const { verdict, rule, pattern } = decision;
      const reason = verdict === 'allow' ? null : decision.reason;
      const line = { userId: user.id, channel, rule, verdict, ...(reason === null ? {} : { reason }) };
      if (verdict !== 'error') logger.info(line, 'channel authorization');
      else logger.warn({ ...line, ...causeOf(decision.cause) }, 'channel authorization failed');
      tell({ time: clock(), userId: user.id, channel, kind, verdict, rule, pattern, reason, durationMs: performance.now() - startedAt });
    },
    user(user, startedAt) {
      logger.info({ userId: user.id, verdict: 'allow' }, 'user authentication');
      tell({
        time: clock(),
        userId: user.id,
        channel: null,
        kind: 'user',
        verdict: 'allow',
        rule: null,
        pattern: null,
        reason: null,
        durationMs: performance.now() - startedAt,
      });
    },
  };
}

/** pino serializes an Error under `err` (message and stack); anything else is logged as it is. */
function causeOf(cause: unknown): Record<string, unknown> {
  if (cause === undefined) return {};
  return cause instanceof Error ? { err: cause } : { cause };
}
