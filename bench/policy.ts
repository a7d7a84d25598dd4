/**
 * The policy's matchers in-process: the worst inputs found for a backtracking matcher
 * against a plain literal match, as time per match and a ratio. Bounded by time per case.
 */
import { performance } from 'node:perf_hooks';
import { channel, claimedChannels, createChannelAuth, type User } from '@pusher-auth-server/channel-auth';
import { channelRules } from '../src/channels.js';
import { table } from './lib/stats.js';

interface Case {
  readonly name: string;
  readonly worst: () => unknown;
  readonly plain: () => unknown;
}

const dashes = (count: number) => `private-${'-'.repeat(count)}`;
const [dashes156, dashes60, dashes150] = [dashes(156), dashes(60), dashes(150)];
const twentyStars = `private-${'*-'.repeat(20)}x`;
const anyone: User = { id: '1', channels: [] };
const worstPattern = channel('private-{a}-{b}-{c}x', () => true);
const plainPattern = channel('private-user-{userId}', () => true);
const claims = claimedChannels();
/** Through the public rule: whether `user`'s claim glob `glob` matches `name`. */
const globMatches = (glob: string, name: string) => claims.evaluate({ id: '1', channels: [glob] }, name);

const CASES: readonly Case[] = [
  {
    name: 'claim glob `private--*-*-*-*-*x` vs 156 dashes',
    worst: () => globMatches('private--*-*-*-*-*x', dashes156),
    plain: () => globMatches('private-doc-1', 'private-doc-1'),
  },
  {
    name: 'claim glob of 20 stars vs 60 dashes',
    worst: () => globMatches(twentyStars, dashes60),
    plain: () => globMatches('private-doc-*', 'private-doc-1'),
  },
  {
    name: 'pattern `private-{a}-{b}-{c}x` vs 150 dashes',
    worst: () => worstPattern.evaluate(anyone, dashes150),
    plain: () => plainPattern.evaluate(anyone, 'private-user-1'),
  },
];

/** Nanoseconds per call, over as many calls as fit in `ms`. */
function timePerCall(fn: () => unknown, ms: number): number {
  for (let i = 0; i < 1000; i++) fn(); // warm up
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 100; i++) fn();
    calls += 100;
    elapsed = performance.now() - started;
  }
  return (elapsed * 1e6) / calls;
}

/** Nanoseconds per awaited call, over as many calls as fit in `ms`. */
async function timePerAsyncCall(fn: () => unknown, ms: number): Promise<number> {
  for (let i = 0; i < 1000; i++) await fn();
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 100; i++) await fn();
    calls += 100;
    elapsed = performance.now() - started;
  }
  return (elapsed * 1e6) / calls;
}

/** One decision through the core by a synchronous rule against the same decision by an async one. */
async function rulePaths(ms: number): Promise<string[][]> {
  const app = { appId: '1', key: 'key', secret: 'secret' };
  const sync = createChannelAuth({ ...app, rules: channelRules });
  const async = createChannelAuth({ ...app, rules: [channel('private-user-{userId}', async ({ user: who, params }) => params.userId === who.id || 'not yours')] });
  const syncNs = await timePerAsyncCall(() => sync.explain({ user: anyone, channel: 'private-user-1' }), ms);
  const asyncNs = await timePerAsyncCall(() => async.explain({ user: anyone, channel: 'private-user-1' }), ms);
  return [['join decision: sync rule vs async rule (awaited)', `${(asyncNs / 1000).toFixed(2)} µs`, `${(syncNs / 1000).toFixed(2)} µs`, `${(asyncNs / syncNs).toFixed(1)}x`]];
}

export async function runPolicyBench(msPerCase: number): Promise<string> {
  const rows = CASES.map(({ name, worst, plain }) => {
    const worstNs = timePerCall(worst, msPerCase);
    const plainNs = timePerCall(plain, msPerCase);
    return [name, `${(worstNs / 1000).toFixed(2)} µs`, `${(plainNs / 1000).toFixed(2)} µs`, `${(worstNs / plainNs).toFixed(1)}x`];
  });
  return [
    '## Policy matchers',
    '',
    'In-process, one core. A backtracking matcher took about 7 s for the first row and over 73 s for the second.',
    '',
    table(['case', 'worst input', 'plain literal', 'ratio'], rows),
    '',
    'The rule paths, both awaited through the core: an async rule costs its promise and its deadline timer.',
    '',
    table(['case', 'async', 'sync', 'ratio'], await rulePaths(msPerCase)),
  ].join('\n');
}
