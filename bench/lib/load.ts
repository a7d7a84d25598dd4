/** One autocannon run: fixed connections and duration, bounded by a request cap as well. */
import autocannon from 'autocannon';

export interface LoadSpec {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Non-2xx answers plus connection errors: must be 0 for a valid run. */
  readonly failures: number;
}

/** Far above what 2 cores answer in `seconds`: a cap, never the limit that ends a run. */
const MAX_REQUESTS_PER_SECOND = 200_000;

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    method: 'POST',
    headers: spec.headers,
    body: spec.body,
    connections: spec.connections,
    duration: spec.seconds,
    maxOverallRequests: MAX_REQUESTS_PER_SECOND * spec.seconds,
    timeout: 10,
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors,
  };
}
