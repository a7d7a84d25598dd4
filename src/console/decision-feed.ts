/**
 * The console's memory of recent decisions: a ring of at most `capacity`, plus live readers.
 * Publishing is on the auth path: it stores the policy's own event (no copy), calls each reader
 * (at most MAX_CONSOLE_READERS) synchronously, and never waits for one.
 */
import type { DecisionEvent } from '@pusher-auth-server/channel-auth';

export interface FedDecision {
  /** Increases by one per decision, from 1: the stream's event id. */
  readonly seq: number;
  readonly decision: DecisionEvent;
}

export type DecisionListener = (entry: FedDecision) => void;

export interface DecisionFeed {
  /** A DecisionObserver: give it to createApp's decision log. */
  readonly publish: (decision: DecisionEvent) => void;
  /** The kept decisions, oldest first. */
  recent(): FedDecision[];
  /** Calls `listener` for every later decision; returns the unsubscribe function. */
  subscribe(listener: DecisionListener): () => void;
  readonly readerCount: number;
}

export const DECISIONS_KEPT = 1000;

export function createDecisionFeed(capacity = DECISIONS_KEPT): DecisionFeed {
  const ring = new Array<FedDecision | undefined>(capacity);
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
      const kept: FedDecision[] = [];
      for (let n = Math.max(1, seq - capacity + 1); n <= seq; n += 1) kept.push(ring[n % capacity] as FedDecision);
      return kept;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get readerCount() {
      return listeners.size;
    },
  };
}
