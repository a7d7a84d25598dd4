/** A rule may answer at once or with a promise; one that takes its time gets a deadline. */

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** Resolves like `promise` (which must not reject), or with `late()` after `ms` if it has not by then. */
export function withDeadline<T>(promise: Promise<T>, ms: number, late: () => T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(late()), ms);
    void promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
