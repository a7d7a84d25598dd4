/**
 * One autocannon run: fixed connections and duration, bounded by a request cap as well.
 * Latency percentiles come from every 2xx response's own time (autocannon measures it with
 * hrtime, in fractional ms), not from autocannon's histogram, which keeps whole milliseconds:
 * at 0-3 ms a whole-ms p99 cannot tell 1.0x from 1.4x.
 */
import autocannon from 'autocannon';
import { percentile } from './stats.js';

export interface LoadSpec {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
  /** Each request's own headers and body (e.g. a different token each time); `headers`/`body` otherwise. */
  readonly vary?: () => { readonly headers: Record<string, string>; readonly body: string };
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

function varied(vary: NonNullable<LoadSpec['vary']>): (request: autocannon.Request) => autocannon.Request {
  return (request) => {
    const { headers, body } = vary();
    return { ...request, headers: { ...request.headers, ...headers }, body };
  };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: 'POST',
        headers: spec.headers,
        body: spec.body,
        connections: spec.connections,
        duration: spec.seconds,
        maxOverallRequests: MAX_REQUESTS_PER_SECOND * spec.seconds,
        timeout: 10,
        ...(spec.vary ? { requests: [{ setupRequest: varied(spec.vary) }] } : {}),
      },
      (err, done) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  return {
    requestsPerSecond: result.requests.total / result.duration,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    requests: result.requests.total,
    failures: result.non2xx + result.errors,
  };
}
