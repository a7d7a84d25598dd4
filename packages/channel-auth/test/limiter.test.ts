/**
 * The limiter in front of AUTHZ_URL: at most `maxActive` asks at once, `maxWaiting` in line, the
 * rest refused at once; an ask whose deadline passes while it waits runs without a turn.
 * Found by mutation testing (issue 19).
 */
import { describe, expect, it } from 'vitest';
import { createLimiter } from '../src/policy/limiter.js';

/** A task that finishes when the test says so. */
function gate() {
  let open!: (value: string) => void;
  const done = new Promise<string>((resolve) => (open = resolve));
  return { open, task: () => done };
}

const never = new AbortController().signal;
const settled = <T>(promise: Promise<T>) => Promise.race([promise.then((value) => ({ value })), new Promise((resolve) => setImmediate(() => resolve('pending')))]);

describe('createLimiter', () => {
  it('holds maxActive + maxWaiting asks', () => {
    expect(createLimiter(16, 1000).capacity).toBe(1016);
  });

  it('runs maxActive at once, queues the next, refuses past the line, and starts the queued one when a turn frees', async () => {
    const limiter = createLimiter(1, 1);
    const first = gate();
    const started: string[] = [];
    const running = limiter.run(never, () => (started.push('first'), first.task()), () => 'refused');
    const queued = limiter.run(never, () => (started.push('queued'), Promise.resolve('queued ran')), () => 'refused');
    expect(await limiter.run(never, () => Promise.resolve('ran'), () => 'refused')).toBe('refused');
    expect(await settled(queued)).toBe('pending');
    expect(started).toStrictEqual(['first']);
    first.open('first ran');
    expect(await running).toBe('first ran');
    expect(await queued).toBe('queued ran');
    // Both turns are free again: two more run at once.
    const a = gate();
    const b = gate();
    const both = [limiter.run(never, a.task, () => 'refused'), limiter.run(never, b.task, () => 'refused')];
    expect(await limiter.run(never, () => Promise.resolve('third'), () => 'refused')).toBe('refused');
    a.open('a');
    b.open('b');
    expect(await Promise.all(both)).toStrictEqual(['a', 'b']);
  });

  it('a task that fails frees its turn', async () => {
    const limiter = createLimiter(1, 0);
    await expect(limiter.run(never, () => Promise.reject(new Error('boom')), () => 'refused')).rejects.toThrow('boom');
    expect(await limiter.run(never, () => Promise.resolve('ran'), () => 'refused')).toBe('ran');
  });

  it('an ask whose signal aborts while it waits runs at once, without a turn, and leaves the line', async () => {
    const limiter = createLimiter(1, 1);
    const first = gate();
    const running = limiter.run(never, first.task, () => 'refused');
    const deadline = new AbortController();
    const waiting = limiter.run(deadline.signal, () => Promise.resolve(`ran, aborted: ${String(deadline.signal.aborted)}`), () => 'refused');
    deadline.abort();
    expect(await waiting).toBe('ran, aborted: true');
    // The line is empty again (one may wait), and the turn is still the first task's.
    const next = limiter.run(never, () => Promise.resolve('next'), () => 'refused');
    expect(await settled(next)).toBe('pending');
    first.open('first');
    expect(await running).toBe('first');
    expect(await next).toBe('next');
  });
});
