/**
 * Open-loop publishing at a fixed offered rate: event i is issued at start + i/rate whether or
 * not earlier publishes have answered (a closed loop would slow down with the server and hide
 * its tail). Bounded by the event count and by `maxInFlight`; when that bound holds an event
 * back, the achieved offered rate falls below the target, and the result says so.
 */
import { nowMs } from './messages.js';

export interface Paced {
  /** Events issued per second, first issue to last (plus one interval). */
  readonly offeredPerSecond: number;
  /** Largest delay of an issue after its due time, ms: the publisher's own lag. */
  readonly maxLagMs: number;
  readonly failures: number;
  /** The first failure's message, if any. */
  readonly firstError: string | undefined;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function publishPaced(rate: number, count: number, maxInFlight: number, publish: (seq: number) => Promise<void>): Promise<Paced> {
  const interval = 1000 / rate;
  const started = nowMs();
  const pending = new Set<Promise<void>>();
  let failures = 0;
  let firstError: string | undefined;
  let maxLagMs = 0;
  let lastIssue = started;
  for (let seq = 0; seq < count; seq += 1) {
    const due = started + seq * interval;
    const wait = due - nowMs();
    if (wait > 0) await sleep(wait);
    while (pending.size >= maxInFlight) await Promise.race(pending);
    lastIssue = nowMs();
    maxLagMs = Math.max(maxLagMs, lastIssue - due);
    const call: Promise<void> = publish(seq)
      .catch((err: unknown) => {
        failures += 1;
        firstError ??= String(err);
      })
      .finally(() => pending.delete(call));
    pending.add(call);
  }
  await Promise.all(pending);
  return { offeredPerSecond: (count / (lastIssue - started + interval)) * 1000, maxLagMs, failures, firstError };
}
