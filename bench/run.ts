/**
 * `npm run bench`: the benchmarks, each against a baseline measured in the same run, then
 * reports/bench/RESULTS.md with the machine's description. Everything on 127.0.0.1, bounded in count
 * and time, rate limits off. Each part runs on its own: one that fails prints a FAILED line with
 * its error, the others still report, and the process exits 1 at the end.
 *
 *   npm run bench                         every part, full size; rewrites reports/bench/RESULTS.md
 *   npm run bench -- --quick              shorter runs, printed only
 *   npm run bench -- --only=auth,fanout   a subset, printed only
 *   npm run bench -- --profile            where the server's CPU goes (auth, fanout, storm); writes reports/bench/PROFILE.md
 *                                         (with --only=: reports/bench/PROFILE-<parts>.md)
 *   STORM_CLIENTS=1000 npm run bench -- --only=storm   the reconnect storm at another size (storm.ts)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runAuthBench } from './auth.js';
import { runConnectionsBench } from './connections.js';
import { runFanoutBench, type FanoutLoad } from './fanout.js';
import { REPORTS_DIR } from './lib/child.js';
import { consoleReader } from './lib/console-reader.js';
import { BENCH_CONSOLE_TOKEN } from './lib/env.js';
import { describeMachine, loadAverage } from './lib/machine.js';
import { authSection, connectionsSection, fanoutSection } from './lib/report.js';
import { table } from './lib/stats.js';
import { runPolicyBench } from './policy.js';
import { runProfiles } from './profile.js';
import { runStormBench, stormOptionsFromEnv } from './storm.js';
import { stormSection } from './lib/storm-report.js';

const { values } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, profile: { type: 'boolean', default: false } },
});
const quick = values.quick;

// 20,000 distinct tokens: twice what the server remembers, so the cold-path runs never find one there.
const auth = { connections: 10, seconds: quick ? 2 : 5, warmupSeconds: quick ? 1 : 2, rounds: quick ? 1 : 3, distinctTokens: 20_000 };
const steady: FanoutLoad = { name: 'steady', rate: 50, seconds: quick ? 2 : 10, sampleEvery: 1 };
const overload: FanoutLoad = { name: 'overload', rate: 200, seconds: quick ? 1 : 3, sampleEvery: 10 };
const fanout = { subscribers: quick ? 300 : 1000, loads: [steady, overload], rounds: quick ? 1 : 3, drainSeconds: 20 };
const conns = { connections: quick ? 2000 : 10_000, channels: 100, concurrency: 100, rounds: quick ? 1 : 3 };
const storm = stormOptionsFromEnv(process.env, quick);

interface Part {
  readonly name: string;
  readonly title: string;
  readonly run: () => Promise<string>;
}

const parts: readonly Part[] = [
  {
    name: 'auth',
    title: 'auth throughput',
    run: async () => authSection(await runAuthBench({ ...auth, serverNodeArgs: [], attachConsole: consoleReader(BENCH_CONSOLE_TOKEN) }), auth.connections, auth.seconds, auth.rounds),
  },
  {
    name: 'policy',
    title: 'policy matchers',
    run: () => runPolicyBench(quick ? 200 : 1000),
  },
  {
    name: 'fanout',
    title: 'fan-out at a fixed offered rate',
    run: async () => fanoutSection(await runFanoutBench({ ...fanout, serverNodeArgs: [] }), fanout.subscribers, fanout.rounds, fanout.drainSeconds),
  },
  {
    name: 'connections',
    title: 'idle connections',
    run: async () => connectionsSection(await runConnectionsBench(conns), conns.channels, conns.concurrency, conns.rounds),
  },
  {
    name: 'storm',
    title: 'reconnect storm',
    run: async () => stormSection(await runStormBench(storm), storm),
  },
];

const log = (text: string) => process.stdout.write(`${text}\n`);

const known = new Set(parts.map((p) => p.name));
const selected = new Set((values.only ?? [...known].join(',')).split(',').map((s) => s.trim()));
const unknown = [...selected].filter((name) => !known.has(name));
if (unknown.length > 0) throw new Error(`bench: unknown part(s) ${unknown.join(', ')}; known: ${[...known].join(', ')}`);

if (values.profile) {
  const { text, file } = await runProfiles({
    ...(selected.has('auth') ? { auth } : {}),
    ...(selected.has('fanout') ? { fanout: { ...fanout, loads: [steady] } } : {}),
    ...(selected.has('storm') ? { storm } : {}),
  });
  log(text);
  log(`Written to bench/${file}`);
  process.exit(0);
}

const machine = describeMachine();
const loadBefore = loadAverage();
const started = new Date();
const sections: string[] = [];
const failed: string[] = [];
for (const part of parts.filter((p) => selected.has(p.name))) {
  log(`${part.title}...`);
  try {
    sections.push(await part.run());
    log(sections.at(-1) ?? '');
  } catch (err) {
    failed.push(part.name);
    log(`FAILED ${part.name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
}
const loadAfter = loadAverage();

const complete = !quick && parts.every((p) => selected.has(p.name));
if (complete && failed.length === 0) {
  const text = [
    '# Benchmark results',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${started.toISOString()}; do not edit by hand.`,
    '',
    table(['machine', ''], [
      ['CPU', `${machine.cpu}, ${machine.cores} cores`],
      ['memory', `${machine.memoryGb} GB`],
      ['OS', machine.os],
      ['Node', machine.node],
      ['packages', machine.packages],
      ['open files limit', machine.fdLimit],
      ['1-min load average', `${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after`],
    ]),
    '',
    'Every process (server under test, baseline, client swarms, load generator) shares these cores:',
    'a load average near or above the core count means other work ran too, and figures are noisy.',
    'Ratios compare runs taken minutes apart in the same invocation, so they are steadier than the absolute figures.',
    '',
    ...sections,
  ].join('\n');
  await mkdir(REPORTS_DIR, { recursive: true });
  await writeFile(path.join(REPORTS_DIR, 'RESULTS.md'), text);
  log('Written to reports/bench/RESULTS.md');
} else if (failed.length > 0) {
  log('(a part failed: reports/bench/RESULTS.md left as it was)');
} else {
  log('(partial or --quick run: reports/bench/RESULTS.md left as it was)');
}
log(`1-min load average: ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${machine.cores} cores).`);
if (failed.length > 0) {
  log(`bench: ${failed.length} part(s) FAILED (${failed.join(', ')}); the others' figures are above. Exiting 1.`);
  process.exit(1);
}
