/** At most `maxActive` tasks at once and `maxWaiting` in line; past both, a task is refused at once. */

export interface Limiter {
  /** `maxActive + maxWaiting`: how many asks it holds before refusing. */
  readonly capacity: number;
  /**
   * Runs `task` when a turn comes. One whose `signal` aborts while waiting runs at once, without a
   * turn, so it fails on its own aborted signal rather than linger; one that finds the line full
   * gets `refused()`.
   */
  run<T>(signal: AbortSignal, task: () => Promise<T>, refused: () => T): Promise<T>;
}

export function createLimiter(maxActive: number, maxWaiting: number): Limiter {
  let active = 0;
  const waiting = new Set<() => void>();
  const release = () => {
    active -= 1;
    const next = waiting.values().next();
    if (next.done) return;
    waiting.delete(next.value);
    next.value();
  };
  const turn = (signal: AbortSignal): Promise<boolean> =>
    new Promise((resolve) => {
      const start = () => {
        signal.removeEventListener('abort', giveUp);
        active += 1;
        resolve(true);
      };
      const giveUp = () => {
        waiting.delete(start);
        resolve(false);
      };
      waiting.add(start);
      signal.addEventListener('abort', giveUp, { once: true });
    });
  return {
    capacity: maxActive + maxWaiting,
    async run(signal, task, refused) {
      if (active < maxActive) active += 1;
      else if (waiting.size >= maxWaiting) return refused();
      else if (!(await turn(signal))) return task();
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
