/**
 * Auth throughput: POST /pusher/auth (bearer JWT, form body as pusher-js sends it) on the real
 * server, against a bare Express 5 route, each in its own process, same connections and duration.
 * Private runs come twice: with one token (every request after the first finds it in the
 * server's memory of verified tokens, the hot path) and with many distinct tokens handed out in
 * turn (more than that memory holds, so every request verifies its token: the cold path of a
 * reconnect storm). Baseline and private runs alternate so drift on a shared machine hits both
 * alike; figures are medians of the rounds. One more private run has a console decision-stream
 * reader attached.
 */
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import type { AttachConsole } from './lib/console-reader.js';
import { benchToken, benchTokens, serverEnv } from './lib/env.js';
import { runLoad, type LoadResult, type LoadSpec } from './lib/load.js';
import { medianFields } from './lib/stats.js';

export interface AuthOptions {
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  /** Extra node flags for the server under test (e.g. --cpu-prof). */
  readonly serverNodeArgs: readonly string[];
  /** Attaches one reader of the console's decision stream for the "with console" run. */
  readonly attachConsole: AttachConsole;
  /** Distinct tokens for the cold-path runs: above the server's 10,000 remembered tokens, so none is found there. */
  readonly distinctTokens: number;
}

/** The private run with a console reader attached, or why there was none. */
export type ConsoleRun =
  | { readonly available: false; readonly reason: string }
  | { readonly available: true; readonly result: LoadResult; readonly events: number };

export type Scenario = 'private' | 'presence' | 'encrypted';

export interface AuthResults {
  readonly baseline: LoadResult;
  readonly scenarios: Record<Scenario, LoadResult>;
  readonly withConsole: ConsoleRun;
  /** Private runs with a different token each request, against the baseline sent the same requests. */
  readonly distinct: { readonly tokens: number; readonly baseline: LoadResult; readonly private: LoadResult };
}

const CHANNELS: Record<Scenario, string> = {
  private: 'private-user-1',
  presence: 'presence-bench',
  encrypted: 'private-encrypted-user-1',
};

interface Ready extends Message {
  readonly type: 'ready';
  readonly url: string;
}

const body = (channel: string) => `socket_id=123456.654321&channel_name=${channel}`;

/** The request pusher-js sends, as user 1 with a bearer token. */
export async function authHeaders(): Promise<Record<string, string>> {
  return { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${await benchToken('1')}` };
}

type Vary = NonNullable<LoadSpec['vary']>;

/**
 * Users 1..count, each with its own token on its own `private-user-<id>`, handed out in turn.
 * One cycle per target, kept across its runs, so a token comes back only after `count` others.
 */
async function distinctRequests(count: number): Promise<Vary> {
  const userIds = Array.from({ length: count }, (_, i) => String(i + 1));
  const tokens = await benchTokens(userIds, 'auth');
  let next = 0;
  return () => {
    const i = next;
    next = (next + 1) % count;
    return {
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${tokens[i] ?? ''}` },
      body: body(`private-user-${userIds[i] ?? ''}`),
    };
  };
}

export function authSpec(url: string, headers: Record<string, string>, scenario: Scenario, connections: number, seconds: number): LoadSpec {
  return { url: `${url}/pusher/auth`, headers, body: body(CHANNELS[scenario]), connections, seconds };
}

async function sanityCheck(url: string, headers: Record<string, string>, requestBody: string): Promise<void> {
  const response = await fetch(`${url}/pusher/auth`, { method: 'POST', headers, body: requestBody });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"auth"')) {
    throw new Error(`auth bench: ${requestBody} answered ${response.status} ${text.slice(0, 200)}: refusing to measure errors`);
  }
}

function medianOf(results: readonly LoadResult[]): LoadResult {
  return {
    ...medianFields(results, ['requestsPerSecond', 'p50Ms', 'p99Ms']),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    failures: results.reduce((sum, r) => sum + r.failures, 0),
  };
}

async function withConsoleReader(attach: AttachConsole, url: string, run: () => Promise<LoadResult>): Promise<ConsoleRun> {
  const reader = await attach(url);
  if (!reader.available) return reader;
  try {
    const result = await run();
    return { available: true, result, events: (await reader.detach()).events };
  } catch (err) {
    await reader.detach();
    throw err;
  }
}

export async function runAuthBench(options: AuthOptions): Promise<AuthResults> {
  const children: BenchChild[] = [];
  try {
    const baseline = spawnBench('baseline-express.ts');
    children.push(baseline);
    const server = spawnBench('serve.ts', { env: serverEnv(), nodeArgs: options.serverNodeArgs });
    children.push(server);
    const [baseReady, serverReady] = await Promise.all([baseline.next<Ready>('ready', 20_000), server.next<Ready>('ready', 20_000)]);
    const headers = await authHeaders();
    for (const channel of Object.values(CHANNELS)) await sanityCheck(serverReady.url, headers, body(channel));
    await sanityCheck(baseReady.url, headers, body(CHANNELS.private));
    const [serverDistinct, baseDistinct] = await Promise.all([distinctRequests(options.distinctTokens), distinctRequests(options.distinctTokens)]);
    const sample = serverDistinct();
    await sanityCheck(serverReady.url, sample.headers, sample.body);

    const spec = (url: string, scenario: Scenario, seconds: number) => authSpec(url, headers, scenario, options.connections, seconds);
    const distinctSpec = (url: string, vary: Vary, seconds: number): LoadSpec => ({ ...spec(url, 'private', seconds), vary });
    const check = (label: string, result: LoadResult): LoadResult => {
      if (result.failures > 0) throw new Error(`auth bench: ${label} had ${result.failures} failed requests`);
      return result;
    };
    // Warm-up: JIT, connection pools, lazy requires.
    await runLoad(spec(baseReady.url, 'private', options.warmupSeconds));
    for (const scenario of Object.keys(CHANNELS) as Scenario[]) await runLoad(spec(serverReady.url, scenario, options.warmupSeconds));
    await runLoad(distinctSpec(serverReady.url, serverDistinct, options.warmupSeconds));

    const baseRuns: LoadResult[] = [];
    const privateRuns: LoadResult[] = [];
    const baseDistinctRuns: LoadResult[] = [];
    const distinctRuns: LoadResult[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      baseRuns.push(check('baseline', await runLoad(spec(baseReady.url, 'private', options.seconds))));
      privateRuns.push(check('private', await runLoad(spec(serverReady.url, 'private', options.seconds))));
      baseDistinctRuns.push(check('baseline, distinct tokens', await runLoad(distinctSpec(baseReady.url, baseDistinct, options.seconds))));
      distinctRuns.push(check('private, distinct tokens', await runLoad(distinctSpec(serverReady.url, serverDistinct, options.seconds))));
    }
    const presence = check('presence', await runLoad(spec(serverReady.url, 'presence', options.seconds)));
    const encrypted = check('encrypted', await runLoad(spec(serverReady.url, 'encrypted', options.seconds)));
    const withConsole = await withConsoleReader(options.attachConsole, serverReady.url, () => runLoad(spec(serverReady.url, 'private', options.seconds)).then((r) => check('private with console', r)));
    return {
      baseline: medianOf(baseRuns),
      scenarios: { private: medianOf(privateRuns), presence, encrypted },
      withConsole,
      distinct: { tokens: options.distinctTokens, baseline: medianOf(baseDistinctRuns), private: medianOf(distinctRuns) },
    };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
