/** The three benchmark tables, with ratios and targets, as Markdown (also printed as is). */
import type { AuthResults, Scenario } from '../auth.js';
import type { ConnectionsResults } from '../connections.js';
import type { FanoutResults } from '../fanout.js';
import { fmt, ratio, table } from './stats.js';

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function authSection(r: AuthResults, connections: number, seconds: number, rounds: number): string {
  const base = r.baseline;
  const row = (name: string, s: typeof base, isBase = false) => [
    name,
    fmt(s.requestsPerSecond),
    fmt(s.p50Ms, 1),
    fmt(s.p99Ms, 1),
    isBase ? '1.00' : ratio(s.requestsPerSecond, base.requestsPerSecond),
    isBase ? '1.00' : ratio(s.p99Ms, base.p99Ms),
  ];
  const scenarios: Scenario[] = ['private', 'presence', 'encrypted'];
  const priv = r.scenarios.private;
  const rpsOk = priv.requestsPerSecond / base.requestsPerSecond >= 0.85;
  const p99Ok = priv.p99Ms <= 2 * Math.max(base.p99Ms, 1);
  return [
    '## Auth throughput: POST /pusher/auth (bearer JWT, form body)',
    '',
    `autocannon, ${connections} connections, ${seconds} s per run after a warm-up; baseline and private alternate for ${rounds} rounds (means shown).`,
    'Baseline: a bare Express 5 route in its own process parsing the same urlencoded body, answering a constant JSON.',
    'Latency is autocannon\'s, in whole milliseconds.',
    '',
    table(
      ['run', 'req/s', 'p50 ms', 'p99 ms', 'req/s ratio', 'p99 ratio'],
      [row('baseline Express route', base, true), ...scenarios.map((s) => row(`auth ${s}`, r.scenarios[s]))],
    ),
    '',
    `Targets (private): req/s ratio >= 0.85: ${verdict(rpsOk)} (${ratio(priv.requestsPerSecond, base.requestsPerSecond)}); ` +
      `p99 <= 2x baseline: ${verdict(p99Ok)} (${ratio(priv.p99Ms, base.p99Ms)}x; a 0 ms baseline p99 counts as 1 ms).`,
    '',
  ].join('\n');
}

export function fanoutSection(r: FanoutResults, subscribers: number, events: number, inFlight: number, rounds: number): string {
  const row = (name: string, s: typeof r.baseline, isBase = false) => [
    name,
    fmt(s.deliveriesPerSecond),
    fmt(s.p50Ms, 1),
    fmt(s.p99Ms, 1),
    String(s.lost),
    isBase ? '1.00' : ratio(s.deliveriesPerSecond, r.baseline.deliveriesPerSecond),
  ];
  const ok = r.server.deliveriesPerSecond / r.baseline.deliveriesPerSecond >= 0.7;
  return [
    '## Fan-out: one channel, 1,000 subscribers',
    '',
    `${subscribers} raw ws subscribers (protocol 7, one client process per side); ${events} events per round, ${inFlight} publishes in flight, ${rounds} alternating rounds (means shown).`,
    `Server side published through ${r.via}; the baseline is bare \`ws\` broadcasting the same frame (one encode, one buffer) on POST /publish.`,
    'Latency: publish call to receipt, from the timestamp inside `data`, on every tenth subscriber (all of them count deliveries).',
    '',
    table(
      ['run', 'deliveries/s', 'p50 ms', 'p99 ms', 'lost', 'ratio'],
      [row('baseline bare ws', r.baseline, true), row('embedded server via /trigger', r.server)],
    ),
    '',
    `Target: deliveries/s ratio >= 0.7: ${verdict(ok)} (${ratio(r.server.deliveriesPerSecond, r.baseline.deliveriesPerSecond)}).`,
    '',
  ].join('\n');
}

export function connectionsSection(r: ConnectionsResults, channels: number, concurrency: number): string {
  const kb = (bytes: number) => fmt(bytes / 1024, 1);
  return [
    '## Idle connections',
    '',
    `${fmt(r.connected)} raw ws clients (one client process), each subscribed to one of ${channels} public channels, ${concurrency} connecting at a time.`,
    'Memory: growth of the server process after a full GC (node --expose-gc), divided by the connection count.',
    '',
    table(
      ['connected', 'connect all (s)', 'connections/s', 'RSS KB/conn', 'JS heap KB/conn', 'heap+external KB/conn', 'server RSS MB'],
      [[fmt(r.connected), fmt(r.connectSeconds, 2), fmt(r.connectionsPerSecond), kb(r.rssPerConnection), kb(r.heapPerConnection), kb(r.heapAndExternalPerConnection), fmt(r.serverRssMb)]],
    ),
    '',
    `Target: <= 20 KB per connection (RSS): ${verdict(r.rssPerConnection <= 20 * 1024)} (${kb(r.rssPerConnection)} KB).`,
    '',
  ].join('\n');
}
