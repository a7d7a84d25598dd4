/** Waiting with a deadline: every wait in the kit goes through `waitFor`. */

export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

export function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}

/**
 * Resolves when `setup` calls `resolve`, rejects when it calls `reject` or after `timeoutMs`.
 * `setup` may return a cleanup function, run in every case.
 */
export function waitFor<T>(
  what: string,
  timeoutMs: number,
  setup: (resolve: (value: T) => void, reject: (error: Error) => void) => (() => void) | void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let cleanup: (() => void) | void = undefined;
    let settled = false;
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (cleanup) cleanup();
      action();
    };
    const timer = setTimeout(() => finish(() => reject(new CheckFailure(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    cleanup = setup(
      (value) => finish(() => resolve(value)),
      (error) => finish(() => reject(error)),
    );
    if (settled && cleanup) cleanup();
  });
}

/** Collects values pushed to it; `next()` waits for the first one not yet taken. */
export class Recorder<T> {
  readonly items: T[] = [];
  private taken = 0;
  private waiter: ((value: T) => void) | undefined;

  push = (value: T): void => {
    this.items.push(value);
    if (this.waiter) {
      const waiter = this.waiter;
      this.waiter = undefined;
      this.taken += 1;
      waiter(value);
    }
  };

  next(what: string, timeoutMs: number): Promise<T> {
    if (this.taken < this.items.length) {
      const value = this.items[this.taken] as T;
      this.taken += 1;
      return Promise.resolve(value);
    }
    return waitFor<T>(what, timeoutMs, (resolve) => {
      this.waiter = resolve;
      return () => {
        this.waiter = undefined;
      };
    });
  }
}
