import { describe, expect, it } from 'vitest';
import { createDecisionLog, type ConsoleDecision, type LoggedDecision } from '../../src/console/decision-log.js';

const decision = (channel: string): ConsoleDecision => ({
  time: '2026-12-01T15:00:00.000Z',
  userId: '1',
  channel,
  kind: 'private',
  verdict: 'allow',
  rule: 'private-user-{userId}',
  durationMs: 0.1,
});
const channels = (entries: readonly LoggedDecision[]) => entries.map((e) => e.decision.channel);

describe('the decision log', () => {
  it('keeps the most recent decisions up to its capacity, oldest first, numbered from 1', () => {
    const log = createDecisionLog(3);
    expect(log.recent()).toEqual([]);
    for (const name of ['a', 'b']) log.publish(decision(name));
    expect(log.recent().map((e) => e.seq)).toEqual([1, 2]);
    for (const name of ['c', 'd', 'e']) log.publish(decision(name));
    expect(channels(log.recent())).toEqual(['c', 'd', 'e']);
    expect(log.recent().map((e) => e.seq)).toEqual([3, 4, 5]);
  });

  it('tells each reader every later decision until it unsubscribes', () => {
    const log = createDecisionLog(2);
    log.publish(decision('before'));
    const first: LoggedDecision[] = [];
    const second: LoggedDecision[] = [];
    const stopFirst = log.subscribe((e) => first.push(e));
    log.subscribe((e) => second.push(e));
    expect(log.readerCount).toBe(2);
    log.publish(decision('x'));
    stopFirst();
    log.publish(decision('y'));
    expect(channels(first)).toEqual(['x']);
    expect(channels(second)).toEqual(['x', 'y']);
    expect(log.readerCount).toBe(1);
  });
});
