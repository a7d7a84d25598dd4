/**
 * Auth throughput: POST /pusher/auth (bearer JWT, form body as pusher-js sends it) on the real
 * server, against a bare Express 5 route, each in its own process, same connections and duration.
 * Baseline and private runs alternate so drift on a shared machine hits both alike; figures are
 * medians of the rounds. One more private run has a console decision-stream reader attached.
 */
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import type { AttachConsole } from './lib/console-reader.js';
import { benchToken, serverEnv } from './lib/env.js';
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

export function authSpec(url: string, headers: Record<string, string>, scenario: Scenario, connections: number, seconds: number): LoadSpec {
  return { url: `${url}/pusher/auth`, headers, body: body(CHANNELS[scenario]), connections, seconds };
}

async function sanityCheck(url: string, headers: Record<string, string>, channel: string): Promise<void> {
  const response = await fetch(`${url}/pusher/auth`, { method: 'POST', headers, body: body(channel) });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"auth"')) {
    throw new Error(`auth bench: ${channel} answered ${response.status} ${text.slice(0, 200)}: refusing to measure errors`);
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
    for (const channel of Object.values(CHANNELS)) await sanityCheck(serverReady.url, headers, channel);
    await sanityCheck(baseReady.url, headers, CHANNELS.private);

    const spec = (url: string, scenario: Scenario, seconds: number) => authSpec(url, headers, scenario, options.connections, seconds);
    const check = (label: string, result: LoadResult): LoadResult => {
      if (result.failures > 0) throw new Error(`auth bench: ${label} had ${result.failures} failed requests`);
      return result;
    };
    // Warm-up: JIT, connection pools, lazy requires.
    await runLoad(spec(baseReady.url, 'private', options.warmupSeconds));
    for (const scenario of Object.keys(CHANNELS) as Scenario[]) await runLoad(spec(serverReady.url, scenario, options.warmupSeconds));

    const baseRuns: LoadResult[] = [];
    const privateRuns: LoadResult[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      baseRuns.push(check('baseline', await runLoad(spec(baseReady.url, 'private', options.seconds))));
      privateRuns.push(check('private', await runLoad(spec(serverReady.url, 'private', options.seconds))));
    }
    const presence = check('presence', await runLoad(spec(serverReady.url, 'presence', options.seconds)));
    const encrypted = check('encrypted', await runLoad(spec(serverReady.url, 'encrypted', options.seconds)));
    const withConsole = await withConsoleReader(options.attachConsole, serverReady.url, () => runLoad(spec(serverReady.url, 'private', options.seconds)).then((r) => check('private with console', r)));
    return { baseline: medianOf(baseRuns), scenarios: { private: medianOf(privateRuns), presence, encrypted }, withConsole };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
