/** Waiting for things in tests: always for an event, always with a timeout, never a sleep. */

export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Collects items as they arrive; `next()` and `waitFor(n)` resolve on arrival or fail on timeout. */
export class Inbox<T> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];

  push(item: T): void {
    this.items.push(item);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves with all items once there are at least `count`. */
  async waitFor(count: number, timeoutMs = 5000, what = `${count} items`): Promise<T[]> {
    const arrived = new Promise<T[]>((resolve) => {
      const check = () => (this.items.length >= count ? resolve(this.items) : this.waiters.push(check));
      check();
    });
    return withTimeout(arrived, timeoutMs, what);
  }

  /** The item at `index` (0-based, counted from the first ever pushed), once it arrives. */
  async at(index: number, timeoutMs = 5000, what = `item #${index}`): Promise<T> {
    const items = await this.waitFor(index + 1, timeoutMs, what);
    return items[index] as T;
  }
}
