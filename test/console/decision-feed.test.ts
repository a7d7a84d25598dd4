import { describe, expect, it } from 'vitest';
import { createDecisionFeed, type FedDecision } from '../../src/console/decision-feed.js';
import type { DecisionEvent } from '@pusher-auth-server/channel-auth';

const decision = (channel: string): DecisionEvent => ({
  time: 1_796_137_200_000,
  userId: '1',
  channel,
  kind: 'private',
  verdict: 'allow',
  rule: 'private-user-{userId}',
  pattern: 'private-user-{userId}',
  reason: null,
  durationMs: 0.1,
});
const channels = (entries: readonly FedDecision[]) => entries.map((e) => e.decision.channel);

describe('the decision feed', () => {
  it('keeps the most recent decisions up to its capacity, oldest first, numbered from 1', () => {
    const feed = createDecisionFeed(3);
    expect(feed.recent()).toEqual([]);
    for (const name of ['a', 'b']) feed.publish(decision(name));
    expect(feed.recent().map((e) => e.seq)).toEqual([1, 2]);
    for (const name of ['c', 'd', 'e']) feed.publish(decision(name));
    expect(channels(feed.recent())).toEqual(['c', 'd', 'e']);
    expect(feed.recent().map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('tells each reader every later decision until it unsubscribes', () => {
    const feed = createDecisionFeed(2);
    feed.publish(decision('before'));
    const first: FedDecision[] = [];
    const second: FedDecision[] = [];
    const stopFirst = feed.subscribe((e) => first.push(e));
    feed.subscribe((e) => second.push(e));
    expect(feed.readerCount).toBe(2);
    feed.publish(decision('x'));
    stopFirst();
    feed.publish(decision('y'));
    expect(channels(first)).toEqual(['x']);
    expect(channels(second)).toEqual(['x', 'y']);
    expect(feed.readerCount).toBe(1);
  });
});
