/**
 * `npm run bench -- --profile`: runs the auth and fan-out benchmarks with the server under test
 * under `node --cpu-prof`, and the reconnect storm with the one-process server profiled during
 * one storm (lib/profile-window.ts), and writes where its CPU time goes to reports/bench/PROFILE.md.
 * `--only=` picks some of them. Figures from these runs carry the profiler's overhead:
 * RESULTS.md comes from unprofiled runs only.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { authHeaders, authSpec, type AuthOptions } from './auth.js';
import { REPORTS_DIR, spawnBench, type Message } from './lib/child.js';
import { serverEnv } from './lib/env.js';
import { runLoad } from './lib/load.js';
import { summarizeProfile, type ProfileSummary } from './lib/profile.js';
import { splitByConcern, type ConcernShares } from './lib/profile-concerns.js';
import { STORM_CONCERNS } from './lib/storm-concerns.js';
import { fmt, table } from './lib/stats.js';
import { runFanoutBench, type FanoutOptions } from './fanout.js';
import { profileFile, runStormBench, SETUPS, type Setup, type StormOptions, type StormRole } from './storm.js';

type ProfiledAuth = Pick<AuthOptions, 'connections' | 'seconds' | 'warmupSeconds'>;

interface Profiled {
  readonly summary: ProfileSummary;
  /** Busy time by concern, when concerns were given. */
  readonly concerns: ConcernShares | undefined;
}

async function profiled(name: string, run: (nodeArgs: readonly string[]) => Promise<unknown>): Promise<Profiled> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `bench-prof-${name}-`));
  try {
    await run(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    // The tsx loader's hooks thread writes a profile of its own: the main thread's is the largest.
    const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(dir, f));
    const sized = await Promise.all(files.map(async (file) => ({ file, size: (await stat(file)).size })));
    const main = sized.sort((a, b) => b.size - a.size)[0];
    if (!main) throw new Error(`profile ${name}: no .cpuprofile written`);
    return { summary: await summarizeProfile(main.file), concerns: undefined };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function concernLines(shares: ConcernShares | undefined): string[] {
  if (!shares) return [];
  const share = (ms: number) => `${((ms / shares.busyMs) * 100).toFixed(1)}%`;
  return [
    `By concern (each sample to the first concern found on its stack; busy ${fmt(shares.busyMs)} ms without the profiler):`,
    '',
    table(['concern', 'ms', 'share of busy'], shares.rows.map(([label, ms]) => [label, fmt(ms), share(ms)])),
    '',
  ];
}

function section(title: string, { summary, concerns }: Profiled): string {
  const share = (ms: number) => `${((ms / summary.busyMs) * 100).toFixed(1)}%`;
  return [
    `## ${title}`,
    '',
    ...concernLines(concerns),
    `Busy ${fmt(summary.busyMs)} ms, idle ${fmt(summary.idleMs)} ms (sampled). Self time by package or file:`,
    '',
    table(['where', 'self ms', 'share of busy'], summary.byPackage.map(([name, ms]) => [name, fmt(ms), share(ms)])),
    '',
    'Time with the package or file anywhere on the stack (callees included; rows overlap):',
    '',
    table(['where', 'inclusive ms', 'share of busy'], summary.inclusiveByPackage.map(([name, ms]) => [name, fmt(ms), share(ms)])),
    '',
    'Top functions by self time:',
    '',
    table(['function', 'self ms', 'share'], summary.byFunction.map(([name, ms]) => [name.replaceAll('|', '\\|'), fmt(ms), share(ms)])),
    '',
  ].join('\n');
}

/** Private-channel auth only: warm-up, then one measured run, on a server under the profiler. */
async function profileAuth(auth: ProfiledAuth, nodeArgs: readonly string[]): Promise<void> {
  const server = spawnBench('serve.ts', { env: serverEnv(), nodeArgs });
  try {
    const { url } = await server.next<Message & { url: string }>('ready', 20_000);
    const headers = await authHeaders();
    await runLoad(authSpec(url, headers, 'private', auth.connections, auth.warmupSeconds));
    const result = await runLoad(authSpec(url, headers, 'private', auth.connections, auth.seconds));
    if (result.failures > 0) throw new Error(`profile auth: ${result.failures} failed requests`);
  } finally {
    await server.stop();
  }
}

const STORM_TITLES: Record<Setup, string> = {
  'one-process': 'the one-process server (auth and embedded)',
  'remote-auth': 'the auth instance in remote mode (second process)',
  floor: 'the floor: signing only, checking nothing (second process)',
  baseline: 'the hand-written auth route (second process)',
};

const ROLE_TITLES: Record<StormRole, string> = { server: 'the embedded server', auth: 'the auth process', clients: 'the clients (load generator)' };

/** A storm round per setup (so the profiled storms run on warm servers), then one storm per setup with each of its processes profiled. */
async function profileStorms(storm: StormOptions): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-prof-storm-'));
  try {
    await runStormBench({ ...storm, rounds: 1, profileDir: dir });
    const sections: string[] = [];
    for (const setup of SETUPS) {
      for (const role of ['server', 'auth', 'clients'] as const) {
        const file = profileFile(dir, setup, role);
        if (!(await exists(file))) continue;
        const profile = { summary: await summarizeProfile(file), concerns: await splitByConcern(file, STORM_CONCERNS) };
        const title = setup === 'one-process' && role === 'server' ? STORM_TITLES[setup] : `${STORM_TITLES[setup]}: ${ROLE_TITLES[role]}`;
        sections.push(section(`Reconnect storm, ${storm.clients} clients: ${title}`, profile));
      }
    }
    return sections;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export interface ProfileParts {
  readonly auth?: ProfiledAuth;
  readonly fanout?: Omit<FanoutOptions, 'serverNodeArgs'>;
  readonly storm?: StormOptions;
}

/** Writes reports/bench/PROFILE.md when every part was profiled, else reports/bench/PROFILE-<parts>.md; returns the text and the file name. */
export async function runProfiles(parts: ProfileParts): Promise<{ text: string; file: string }> {
  const { auth, fanout, storm } = parts;
  const sections: string[] = [];
  const described: string[] = [];
  if (auth) {
    sections.push(section('Auth: POST /pusher/auth', await profiled('auth', (nodeArgs) => profileAuth(auth, nodeArgs))));
    described.push('Auth: private-channel POST /pusher/auth under autocannon (warm-up included, `--cpu-prof`).');
  }
  if (fanout) {
    const summary = await profiled('fanout', (serverNodeArgs) => runFanoutBench({ ...fanout, rounds: 1, serverNodeArgs }));
    sections.push(section(`Fan-out: POST /trigger to ${fanout.subscribers} subscribers`, summary));
    described.push(`Fan-out: the server side of the fan-out benchmark, /trigger to ${fanout.subscribers} subscribers at ${fanout.loads.map((l) => `${l.rate} events/s`).join(', ')} (warm-up included, \`--cpu-prof\`).`);
  }
  if (storm) {
    sections.push(...(await profileStorms(storm)));
    described.push(`Reconnect storm: for each setup, each of its processes (embedded server, auth process when it is another, clients) from the start to the end of one ${storm.clients}-client storm after a warm-up round, nothing else (inspector, 250 µs sampling); servers log at \`${storm.logLevel}\`.`);
  }
  const text = [
    '# Where the server spends its CPU',
    '',
    `Generated by \`npm run bench -- --profile\` on ${new Date().toISOString()}.`,
    ...described,
    'Shares are of sampled busy (non-idle) time. Express middleware calls next() synchronously, so a middleware\'s inclusive time also',
    'holds whatever ran after it up to the first await: its self time is what it costs by itself.',
    'Module loading at startup (through tsx) is inside the `--cpu-prof` sampled time too.',
    '',
    ...sections,
  ].join('\n');
  const names = Object.keys(parts);
  const file = names.length === 3 ? 'PROFILE.md' : `PROFILE-${names.join('-')}.md`;
  await mkdir(REPORTS_DIR, { recursive: true });
  await writeFile(path.join(REPORTS_DIR, file), text);
  return { text, file };
}
