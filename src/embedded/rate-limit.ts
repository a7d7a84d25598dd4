/** A rolling-window limit: at most `limit` accepted events in any `windowMs`. Refusals do not count. */
export class RollingRateLimit {
  private readonly accepted: number[] = [];

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Records and returns true when under the limit at `nowMs`; returns false (recording nothing) otherwise. */
  tryAccept(nowMs: number): boolean {
    while (this.accepted.length > 0 && (this.accepted[0] ?? 0) <= nowMs - this.windowMs) this.accepted.shift();
    if (this.accepted.length >= this.limit) return false;
    this.accepted.push(nowMs);
    return true;
  }
}
