/** Reads a V8 .cpuprofile (node --cpu-prof) and sums self time by function and by package. */
import { readFile } from 'node:fs/promises';
import { ROOT_DIR } from './child.js';

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** Sampled time not idle, in ms. */
  readonly busyMs: number;
  readonly idleMs: number;
  readonly byPackage: readonly (readonly [string, number])[];
  /** Time with the package anywhere on the stack (what it costs, callees included). */
  readonly inclusiveByPackage: readonly (readonly [string, number])[];
  readonly byFunction: readonly (readonly [string, number])[];
}

const IDLE = '(idle)';

/** Where a function lives: an npm package, one of our files, a node built-in, or V8 itself. */
export function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (modules?.[1]) return modules[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0] ?? ''}`;
  const ours = url.indexOf(ROOT_DIR);
  if (ours !== -1) return url.slice(ours + ROOT_DIR.length + 1).replace(/^file:\/\//, '');
  return url;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(`${ROOT_DIR}/`, '').replace(/^.*node_modules\//, '');
}

function top(totals: Map<string, number>, count: number): (readonly [string, number])[] {
  return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, count);
}

export async function summarizeProfile(file: string, count = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const stackPackages = new Map<number, Set<string>>();
  const packagesOnStack = (id: number): Set<string> => {
    const known = stackPackages.get(id);
    if (known) return known;
    const node = byId.get(id);
    const parent = parentOf.get(id);
    const set = new Set(parent === undefined ? [] : packagesOnStack(parent));
    if (node) set.add(packageOf(node.callFrame.url, node.callFrame.functionName));
    stackPackages.set(id, set);
    return set;
  };
  const inclusive = new Map<string, number>();
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const us = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === IDLE) {
      idleUs += us;
      return;
    }
    busyUs += us;
    for (const name of packagesOnStack(id)) inclusive.set(name, (inclusive.get(name) ?? 0) + us / 1000);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us / 1000);
    const label = url === '' ? functionName : `${functionName || '(anonymous)'} ${shortUrl(url)}:${lineNumber + 1}`;
    byFunction.set(label, (byFunction.get(label) ?? 0) + us / 1000);
  });
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    byPackage: top(byPackage, count),
    inclusiveByPackage: top(inclusive, count * 2),
    byFunction: top(byFunction, count),
  };
}
