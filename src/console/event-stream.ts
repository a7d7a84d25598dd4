/**
 * GET /console/decisions for one reader: the kept decisions, a `replayed` marker, then each new
 * decision as it is made, the events of one tick in one write. A reader that falls `maxPending`
 * events behind is dropped: the auth path never waits for it, and its backlog never grows past that bound.
 */
import { API_ANSWER_HEADERS } from '@pusher-auth-server/channel-auth/http';
import type { Response } from 'express';
import type { DecisionFeed, FedDecision } from './decision-feed.js';

export interface StreamLimits {
  /** Events queued for a reader whose socket is full; one more and it is disconnected. */
  readonly maxPending: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly heartbeatMs: number;
}

export const STREAM_LIMITS: StreamLimits = { maxPending: 1000, heartbeatMs: 25_000 };

/** Fields picked one by one: whatever else a decision event may carry never reaches a reader. */
function frame({ seq, decision: d }: FedDecision): string {
  const shown = {
    time: new Date(d.time).toISOString(),
    userId: d.userId,
    channel: d.channel,
    kind: d.kind,
    verdict: d.verdict,
    rule: d.rule,
    ...(d.reason === null ? {} : { reason: d.reason }),
    duration: Math.round(d.durationMs * 1000) / 1000, // ms (docs/design.md#console names the field "duration")
  };
  return `id: ${seq}\nevent: decision\ndata: ${JSON.stringify(shown)}\n\n`;
}

export function streamDecisions(res: Response, feed: DecisionFeed, limits = STREAM_LIMITS): void {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    ...API_ANSWER_HEADERS,
    'X-Accel-Buffering': 'no', // nginx: pass events through as they come
  });
  let pending: string[] = []; // waiting for 'drain'
  let batch = ''; // this tick's events, sent in one write
  let blocked = false;
  let closed = false;

  const send = () => {
    const chunk = batch;
    batch = '';
    if (!closed && chunk !== '') blocked = !res.write(chunk);
  };
  const write = (chunk: string) => {
    if (blocked) {
      pending.push(chunk);
      if (pending.length > limits.maxPending) stop(true);
      return;
    }
    if (batch === '') setImmediate(send);
    batch += chunk;
  };
  const flush = () => {
    blocked = false;
    const chunk = pending.join('');
    pending = [];
    if (chunk !== '') write(chunk);
  };
  const stop = (drop: boolean) => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    res.off('drain', flush);
    pending = [];
    batch = '';
    if (drop) res.destroy();
  };

  const replay = feed.recent();
  // Subscribed in the same tick as the replay was read: nothing falls between the two.
  const unsubscribe = feed.subscribe((entry) => write(frame(entry)));
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), limits.heartbeatMs).unref();
  res.on('drain', flush);
  res.on('close', () => stop(false));
  write(`${replay.map(frame).join('')}event: replayed\ndata: ${JSON.stringify({ count: replay.length })}\n\n`);
}
