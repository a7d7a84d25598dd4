/** The reconnect storm's table, ratios to the hand-written baseline and its targets (docs/performance.md), as Markdown. */
import { failureText, SETUPS, type Setup, type StormOptions, type StormResults, type StormRun } from '../storm.js';
import { fmt, median, ratio, table } from './stats.js';
import { targetLines, verdict } from './targets.js';

const NAMES: Record<Setup, string> = {
  'one-process': 'one process (auth + embedded)',
  'remote-auth': 'auth in a 2nd instance (remote mode)',
  baseline: 'hand-written auth, 2nd process',
  floor: 'floor: signing only, checks nothing',
};

const med = (runs: readonly StormRun[], pick: (r: StormRun) => number) => median(runs.map(pick));
const seconds = (ms: number) => fmt(ms / 1000, 2);

export function stormSection(r: StormResults, o: StormOptions): string {
  const base = med(r.runs.baseline, (x) => x.totalMs);
  const row = (setup: Setup) => {
    const runs = r.runs[setup];
    const total = med(runs, (x) => x.totalMs);
    return [
      NAMES[setup],
      seconds(total),
      runs.map((x) => seconds(x.totalMs)).join(' / '),
      fmt(med(runs, (x) => x.p50Ms)),
      fmt(med(runs, (x) => x.p99Ms)),
      fmt(runs.reduce((sum, x) => sum + (x.clients - x.back), 0)),
      fmt(med(runs, (x) => x.serverCpuMs)),
      setup === 'one-process' ? '(same)' : fmt(med(runs, (x) => x.authCpuMs)),
      fmt(med(runs, (x) => x.clientsCpuMs)),
      runs.map((x) => fmt(x.listenOverflows)).join(' / '),
      setup === 'baseline' ? '1.00' : ratio(total, base),
    ];
  };
  const perRound = (setup: Setup) => r.runs[setup].map((x, i) => ratio(x.totalMs, r.runs.baseline[i]?.totalMs ?? Number.NaN)).join(', ');
  const failures = SETUPS.flatMap((setup) => r.runs[setup].filter((x) => x.back < x.clients).map((x) => `- ${NAMES[setup]}: ${failureText(x)}`));
  const totalRatio = (setup: Setup) => med(r.runs[setup], (x) => x.totalMs) / base;
  return [
    `## Reconnect storm: ${fmt(o.clients)} clients back at once, each with its own token`,
    '',
    `${fmt(o.clients)} clients (one client process) start at the same moment${o.concurrency < o.clients ? ` (at most ${fmt(o.concurrency)} in flight)` : ''}; each opens a WebSocket on the embedded server,`,
    `POSTs \`socket_id\` + \`channel_name\` (form, bearer token) to /pusher/auth for \`private-user-<id>\` and \`presence-storm-<n>\` (${o.presenceSize} members each) at once over its own keep-alive connection,`,
    'subscribes with each answer and is back when both `subscription_succeeded` frames arrived. Every token is new to the servers (cold token memory).',
    `Servers log at \`${o.logLevel}\` (stdout discarded); rate limits and connection caps off. ${o.rounds} round(s), setups rotating order; medians shown.`,
    'all back: storm start to the last client back. p50/p99: per client, its start to back. CPU: utime + stime during the storm (server: the embedded one;',
    'clients: the load generator, which shares the machine\'s cores with the servers).',
    'listen overflows, per round: connection attempts a full accept queue turned away (machine-wide counter), each costs its client a 1 s retry.',
    '',
    table(
      ['auth answered by', 'all back (s)', 'rounds (s)', 'p50 ms', 'p99 ms', 'failed clients', 'server CPU ms', 'auth CPU ms', 'clients CPU ms', 'listen overflows', 'ratio to baseline'],
      SETUPS.map(row),
    ),
    '',
    `Per round, ratio to the baseline's storm of the same round: one process ${perRound('one-process')}; remote auth ${perRound('remote-auth')}; floor ${perRound('floor')}.`,
    'floor: a reference, not an auth server (bench/floor-storm-auth.ts): it verifies nothing and only signs, so its time is the least this machine allows',
    `with auth in a second process; a target below the floor's ratio (${fmt(totalRatio('floor'), 2)}) cannot be met on this machine.`,
    ...(failures.length > 0 ? ['', 'Failed clients:', ...failures] : []),
    `1-min load average: ${r.loadBefore.toFixed(2)} before, ${r.loadAfter.toFixed(2)} after.`,
    '',
    'Targets:',
    targetLines([
      verdict('auth in a 2nd instance: all-back time ratio to the hand-written baseline', totalRatio('remote-auth'), '<=', 0.5),
      verdict('one process: all-back time ratio to the hand-written baseline', totalRatio('one-process'), '<=', 1.0),
    ]),
    '',
  ].join('\n');
}
