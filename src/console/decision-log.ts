/**
 * The console's memory of recent decisions: a ring of at most `capacity`, plus live readers.
 * Publishing is on the auth path: it is O(1) per reader, synchronous, and never waits for one.
 */

/** One channel or user authorization, as the console shows it. Never a token, signature or secret. */
export interface ConsoleDecision {
  /** ISO 8601, when the decision was made. */
  readonly time: string;
  readonly userId: string;
  /** null for a user authentication (`pusher.signin()`). */
  readonly channel: string | null;
  /** The channel's kind (`private`, `presence`, `private-encrypted`), or `user` for sign-in. */
  readonly kind: string;
  readonly verdict: 'allow' | 'deny';
  /** The deciding rule, or null when none matched. */
  readonly rule: string | null;
  readonly reason?: string;
  readonly durationMs: number;
}

export interface LoggedDecision {
  /** Increases by one per decision, from 1: the stream's event id. */
  readonly seq: number;
  readonly decision: ConsoleDecision;
}

/** Where decisions go; the auth path sees only this. */
export interface DecisionSink {
  publish(decision: ConsoleDecision): void;
}

export type DecisionListener = (entry: LoggedDecision) => void;

export interface DecisionLog extends DecisionSink {
  /** The kept decisions, oldest first. */
  recent(): LoggedDecision[];
  /** Calls `listener` for every later decision; returns the unsubscribe function. */
  subscribe(listener: DecisionListener): () => void;
  readonly readerCount: number;
}

export const DECISIONS_KEPT = 1000;

export function createDecisionLog(capacity = DECISIONS_KEPT): DecisionLog {
  const ring: Array<LoggedDecision | undefined> = new Array<LoggedDecision | undefined>(capacity);
  const listeners = new Set<DecisionListener>();
  let seq = 0;

  return {
    publish(decision) {
      seq += 1;
      const entry = { seq, decision };
      ring[seq % capacity] = entry;
      for (const listener of listeners) listener(entry);
    },
    recent() {
      const kept: LoggedDecision[] = [];
      for (let n = Math.max(1, seq - capacity + 1); n <= seq; n += 1) kept.push(ring[n % capacity] as LoggedDecision);
      return kept;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get readerCount() {
      return listeners.size;
    },
  };
}
