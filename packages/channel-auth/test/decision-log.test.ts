/**
 * Each decision is told once: the log line (fields and message), the event for observers, and an
 * observer that throws. Found by mutation testing (issue 19).
 */
import { performance } from 'node:perf_hooks';
import type { Logger } from '@pusher-auth-server/pusher-core';
import { describe, expect, it } from 'vitest';
import { createDecisionLog, type DecisionEvent } from '../src/policy/decision-log.js';
import type { User } from '../src/policy/user.js';

type Line = [level: string, fields: object, message: string | undefined];

function recordingLogger(lines: Line[]): Logger {
  const at = (level: string) => (fields: object, message?: string) => void lines.push([level, fields, message]);
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: () => logger };
  return logger;
}

const ada: User = { id: '1', channels: [] };
const NOW = 1_700_000_000_000;

function setUp(onDecision: (event: DecisionEvent) => void = () => undefined) {
  const lines: Line[] = [];
  const events: DecisionEvent[] = [];
  const log = createDecisionLog({
    logger: recordingLogger(lines),
    clock: () => NOW,
    onDecision: (event) => {
      events.push(event);
      onDecision(event);
    },
  });
  return { lines, events, log };
}

/** Runs `tell` with a start taken 5 ms "ago" and checks the event's duration against the time it really took. */
function timed(tell: (startedAt: number) => void, events: DecisionEvent[]) {
  const before = performance.now();
  tell(before - 5);
  const took = performance.now() - before;
  const { durationMs } = events.at(-1) as DecisionEvent;
  expect(durationMs).toBeGreaterThanOrEqual(5);
  expect(durationMs).toBeLessThanOrEqual(5 + took);
}

describe('the decision log', () => {
  it('an allow: an info line without a reason, and the event', () => {
    const { lines, events, log } = setUp();
    timed((startedAt) => log.channel(ada, 'private-a', 'private', { verdict: 'allow', rule: 'private-{x}', pattern: 'private-{x}' }, startedAt), events);
    expect(lines).toStrictEqual([['info', { userId: '1', channel: 'private-a', rule: 'private-{x}', verdict: 'allow' }, 'channel authorization']]);
    expect(events).toStrictEqual([
      { time: NOW, userId: '1', channel: 'private-a', kind: 'private', verdict: 'allow', rule: 'private-{x}', pattern: 'private-{x}', reason: null, durationMs: expect.any(Number) },
    ]);
  });

  it('a refusal: the reason in the line and the event', () => {
    const { lines, events, log } = setUp();
    log.channel(ada, 'private-a', 'private', { verdict: 'deny', rule: null, pattern: null, reason: 'no rule matches' }, performance.now());
    expect(lines).toStrictEqual([['info', { userId: '1', channel: 'private-a', rule: null, verdict: 'deny', reason: 'no rule matches' }, 'channel authorization']]);
    expect(events[0]).toMatchObject({ verdict: 'deny', rule: null, pattern: null, reason: 'no rule matches' });
  });

  it('a failure: a warning with the cause, an Error under err and anything else as it is, nothing extra without one', () => {
    const { lines, log } = setUp();
    const failure = { verdict: 'error', rule: 'private-{x}', pattern: 'private-{x}', reason: 'failed' } as const;
    const boom = new Error('boom');
    log.channel(ada, 'private-a', 'private', { ...failure, cause: boom }, performance.now());
    log.channel(ada, 'private-a', 'private', { ...failure, cause: 503 }, performance.now());
    log.channel(ada, 'private-a', 'private', failure, performance.now());
    const line = { userId: '1', channel: 'private-a', rule: 'private-{x}', verdict: 'error', reason: 'failed' };
    expect(lines).toStrictEqual([
      ['warn', { ...line, err: boom }, 'channel authorization failed'],
      ['warn', { ...line, cause: 503 }, 'channel authorization failed'],
      ['warn', line, 'channel authorization failed'],
    ]);
  });

  it('a sign-in: an info line and an event with no channel or rule', () => {
    const { lines, events, log } = setUp();
    timed((startedAt) => log.user(ada, startedAt), events);
    expect(lines).toStrictEqual([['info', { userId: '1', verdict: 'allow' }, 'user authentication']]);
    expect(events).toStrictEqual([
      { time: NOW, userId: '1', channel: null, kind: 'user', verdict: 'allow', rule: null, pattern: null, reason: null, durationMs: expect.any(Number) },
    ]);
  });

  it('an observer that throws is logged, and the decision still told', () => {
    const boom = new Error('observer down');
    const { lines, events, log } = setUp(() => {
      throw boom;
    });
    log.user(ada, performance.now());
    expect(events).toHaveLength(1);
    expect(lines).toStrictEqual([
      ['info', { userId: '1', verdict: 'allow' }, 'user authentication'],
      ['warn', { err: boom }, 'a decision observer failed'],
    ]);
  });
});
