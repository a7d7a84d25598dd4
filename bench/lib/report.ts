/** The benchmark tables, with ratios and their targets (docs/performance.md), as Markdown (also printed as is). */
import type { AuthResults, Scenario } from '../auth.js';
import type { ConnectionsResults, ConnectionsSide } from '../connections.js';
import type { FanoutResults, FanoutSide } from '../fanout.js';
import type { LoadResult } from './load.js';
import { fmt, ratio, table } from './stats.js';
import { targetLines, verdict } from './targets.js';

/** The publisher counts as keeping the offered rate at this share of it or more. */
const OFFERED_KEPT = 0.95;

export function authSection(r: AuthResults, connections: number, seconds: number, rounds: number): string {
  const row = (name: string, s: LoadResult, base: LoadResult) => [
    name,
    fmt(s.requestsPerSecond),
    fmt(s.p50Ms, 2),
    fmt(s.p99Ms, 2),
    s === base ? '1.00' : ratio(s.requestsPerSecond, base.requestsPerSecond),
    s === base ? '1.00' : ratio(s.p99Ms, base.p99Ms),
  ];
  const base = r.baseline;
  const scenarios: Scenario[] = ['private', 'presence', 'encrypted'];
  const consoleRow = r.withConsole.available ? [row('auth private, console reader attached', r.withConsole.result, base)] : [];
  const consoleNote = r.withConsole.available
    ? `Console: one reader on GET /console/decisions received ${fmt(r.withConsole.events)} events during its run.`
    : `Console: not available (${r.withConsole.reason}); the "console reader attached" run was skipped.`;
  const { distinct } = r;
  const targets = (label: string, s: LoadResult, b: LoadResult) => [
    verdict(`${label}: req/s ratio`, s.requestsPerSecond / b.requestsPerSecond, '>=', 1.0),
    verdict(`${label}: p99 ratio`, s.p99Ms / b.p99Ms, '<=', 1.2),
  ];
  return [
    '## Auth throughput: POST /pusher/auth (bearer JWT, form body)',
    '',
    `autocannon, ${connections} connections, ${seconds} s per run after a warm-up; baseline and private alternate for ${rounds} rounds (medians shown).`,
    'Baseline: a bare Express 5 route in its own process parsing the same urlencoded body, answering a constant JSON.',
    'Latency: each 2xx response\'s own time (hrtime, fractional ms), percentiles over all of a run\'s responses.',
    'One token: every request carries the same token, which the server remembers after the first (the hot path).',
    `Distinct tokens: ${fmt(distinct.tokens)} users, each request the next one's token on its own \`private-user-<id>\`; more tokens than the server remembers,`,
    'so every request verifies its JWT (the cold path of a reconnect storm). Its baseline is sent the same varying requests.',
    '',
    table(
      ['run', 'req/s', 'p50 ms', 'p99 ms', 'req/s ratio', 'p99 ratio'],
      [
        row('baseline Express route', base, base),
        ...scenarios.map((s) => row(`auth ${s}, one token`, r.scenarios[s], base)),
        ...consoleRow,
        row('baseline Express route, distinct tokens', distinct.baseline, distinct.baseline),
        row(`auth private, ${fmt(distinct.tokens)} distinct tokens`, distinct.private, distinct.baseline),
      ],
    ),
    '',
    consoleNote,
    '',
    'Targets (private; ratios to the baseline run with the same requests):',
    targetLines([...targets('one token', r.scenarios.private, base), ...targets('distinct tokens', distinct.private, distinct.baseline)]),
    '',
  ].join('\n');
}

function fanoutRows(r: FanoutResults): string[][] {
  const row = (name: string, s: FanoutSide, base: FanoutSide) => [
    name,
    fmt(s.offeredPerSecond, 1),
    fmt(s.deliveriesPerSecond),
    fmt(s.p50Ms, 1),
    fmt(s.p99Ms, 1),
    fmt(s.lost),
    fmt(s.late),
    fmt(s.failedPublishes),
    s === base ? '1.00' : ratio(s.deliveriesPerSecond, base.deliveriesPerSecond),
    s === base ? '1.00' : ratio(s.p99Ms, base.p99Ms),
  ];
  return r.runs.flatMap(({ load, baseline, server }) => [
    row(`${load.rate} ev/s: bare ws`, baseline, baseline),
    row(`${load.rate} ev/s: embedded server`, server, baseline),
  ]);
}

export function fanoutSection(r: FanoutResults, subscribers: number, rounds: number, drainSeconds: number): string {
  const [steady, overload] = r.runs;
  const sides = r.runs.flatMap(({ load, baseline, server }) => [
    { side: baseline, rate: load.rate, name: 'bare ws' },
    { side: server, rate: load.rate, name: 'embedded server' },
  ]);
  const errors = sides.flatMap(({ side, rate, name }) => (side.firstError ? [`- ${rate} ev/s, ${name}: ${side.failedPublishes} publishes failed, first: ${side.firstError.slice(0, 300)}`] : []));
  const lagging = sides.filter(({ side, rate }) => side.offeredPerSecond < OFFERED_KEPT * rate);
  const verdicts = [
    ...(steady
      ? [
          verdict(`${steady.load.rate} ev/s: p99 ratio to bare ws`, steady.server.p99Ms / steady.baseline.p99Ms, '<=', 1.0),
          verdict(`${steady.load.rate} ev/s: lost deliveries`, steady.server.lost, '<=', 0, '', 0),
          verdict(`${steady.load.rate} ev/s: failed publishes`, steady.server.failedPublishes, '<=', 0, '', 0),
        ]
      : []),
    ...(overload ? [verdict(`${overload.load.rate} ev/s (overload): deliveries/s ratio to bare ws`, overload.server.deliveriesPerSecond / overload.baseline.deliveriesPerSecond, '>=', 0.95)] : []),
  ];
  const loads = r.runs.map(({ load }) => `${load.rate} events/s for ${load.seconds} s (latency on ${load.sampleEvery === 1 ? 'every subscriber' : `one subscriber in ${load.sampleEvery}`})`);
  return [
    `## Fan-out: one channel, ${fmt(subscribers)} subscribers, fixed offered rate`,
    '',
    `${fmt(subscribers)} raw ws subscribers (protocol 7, one client process per side). Events published open-loop at a fixed rate: ${loads.join('; ')}.`,
    `${rounds} rounds alternating the sides and which goes first; medians shown, lost and late summed over the rounds.`,
    `late: received more than ${drainSeconds} s after the last publish (outside deliveries/s); lost: never received (after each round the bench waits for deliveries to stop).`,
    `Server side published through ${r.via}; the baseline is bare \`ws\` (baseline-ws.ts) broadcasting the same frame, encoded once, on POST /publish.`,
    'deliveries/s: frames received by all subscribers, from the first publish to the last receipt. Latency: publish call to receipt, from the timestamp inside `data`.',
    'offered ev/s: what the publisher achieved (it must keep the target rate for the figures to hold).',
    '',
    table(['run', 'offered ev/s', 'deliveries/s', 'p50 ms', 'p99 ms', 'lost', 'late', 'failed publishes', 'deliveries ratio', 'p99 ratio'], fanoutRows(r)),
    '',
    lagging.length === 0
      ? `Publisher: kept every offered rate (>= ${OFFERED_KEPT * 100}% of the target).`
      : `Publisher: FELL BEHIND on ${lagging.length} side(s) (< ${OFFERED_KEPT * 100}% of the target): those rows under-offer.`,
    ...(errors.length > 0 ? ['', 'Failed publishes:', ...errors] : []),
    '',
    'Targets:',
    targetLines(verdicts),
    '',
  ].join('\n');
}

export function connectionsSection(r: ConnectionsResults, channels: number, concurrency: number, rounds: number): string {
  const kb = (bytes: number) => fmt(bytes / 1024, 2);
  const row = (name: string, s: ConnectionsSide) => [
    name,
    fmt(s.connected),
    fmt(s.connectSeconds, 2),
    fmt(s.connected / s.connectSeconds),
    kb(s.rssPerConnection),
    kb(s.heapPerConnection),
    kb(s.heapAndExternalPerConnection),
    fmt(s.serverRssMb),
  ];
  const leftover = Math.max(r.baseline.leftover, r.server.leftover);
  return [
    '## Idle connections',
    '',
    `${fmt(r.server.connected)} raw ws clients (one client process per side), each subscribed to one of ${channels} public channels, ${concurrency} connecting at a time.`,
    `Embedded server against a bare \`ws\` protocol-7 server keeping a socket id and channel sets (baseline-ws.ts); a fresh server and client process per side and round, ${rounds} round(s) alternating, medians shown.`,
    'Memory: growth of the server process after a full GC (node --expose-gc), divided by the connection count.',
    ...(leftover > 0 ? [`(${leftover} warm-up sockets were still open at the "before" snapshot after the drain deadline; the count excludes them.)`] : []),
    '',
    table(
      ['run', 'connected', 'connect all (s)', 'connections/s', 'RSS KB/conn', 'JS heap KB/conn', 'heap+external KB/conn', 'server RSS MB'],
      [row('bare ws', r.baseline), row('embedded server', r.server)],
    ),
    '',
    'Targets:',
    targetLines([
      verdict('RSS per connection ratio to bare ws', r.server.rssPerConnection / r.baseline.rssPerConnection, '<=', 0.9),
      verdict('connect time ratio to bare ws', r.server.connectSeconds / r.baseline.connectSeconds, '<=', 1.1),
    ]),
    '',
    `JS heap per connection ratio to bare ws: ${fmt(r.server.heapPerConnection / r.baseline.heapPerConnection, 2)}x (no target).`,
    '',
  ].join('\n');
}
