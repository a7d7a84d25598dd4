/**
 * A/B for a proposed change: `npx tsx bench/ab.ts <other checkout> [seconds] [rounds]` runs the
 * auth benchmark's private scenario against this checkout (A) and another one (B, made with
 * `node scripts/ab-checkout.mjs <commit> <dir>`), with the Express baseline, interleaved round by
 * round so noise from other work on the machine hits all three alike.
 */
import path from 'node:path';
import { authHeaders, authSpec } from './auth.js';
import { spawnBench, type BenchChild, type Message } from './lib/child.js';
import { serverEnv } from './lib/env.js';
import { runLoad, type LoadResult } from './lib/load.js';
import { fmt, mean, ratio, table } from './lib/stats.js';

const [other, secondsArg = '5', roundsArg = '4'] = process.argv.slice(2);
if (!other) throw new Error('usage: npx tsx bench/ab.ts <other checkout> [seconds] [rounds]');
const seconds = Number(secondsArg);
const rounds = Number(roundsArg);
const CONNECTIONS = 10;

const children: BenchChild[] = [];
const spawn = (script: string, root?: string) => {
  const child = spawnBench(script, { env: serverEnv(), ...(root ? { root: path.resolve(root) } : {}) });
  children.push(child);
  return child;
};
try {
  const ready = await Promise.all(
    [spawn('baseline-express.ts'), spawn('serve.ts'), spawn('serve.ts', other)].map((c) => c.next<Message & { url: string }>('ready', 20_000)),
  );
  const headers = await authHeaders();
  const names = ['baseline', 'A (this checkout)', `B (${other})`];
  const runs: LoadResult[][] = names.map(() => []);
  for (const { url } of ready) await runLoad(authSpec(url, headers, 'private', CONNECTIONS, 2));
  for (let round = 0; round < rounds; round += 1) {
    for (const [i, { url }] of ready.entries()) {
      const result = await runLoad(authSpec(url, headers, 'private', CONNECTIONS, seconds));
      if (result.failures > 0) throw new Error(`${names[i]}: ${result.failures} failed requests`);
      runs[i]?.push(result);
    }
  }
  const rps = runs.map((r) => mean(r.map((x) => x.requestsPerSecond)));
  const p99 = runs.map((r) => mean(r.map((x) => x.p99Ms)));
  const base = rps[0] ?? Number.NaN;
  process.stdout.write(
    `${table(
      ['server', 'req/s', 'p99 ms', 'ratio to baseline', 'per-round req/s'],
      names.map((name, i) => [name, fmt(rps[i] ?? Number.NaN), fmt(p99[i] ?? Number.NaN, 1), ratio(rps[i] ?? Number.NaN, base), (runs[i] ?? []).map((x) => fmt(x.requestsPerSecond)).join(' ')]),
    )}\nB/A: ${ratio(rps[2] ?? Number.NaN, rps[1] ?? Number.NaN)}\n`,
  );
} finally {
  await Promise.all(children.map((c) => c.stop()));
}
