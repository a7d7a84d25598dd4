/**
 * A .cpuprofile's busy time split by concern (JWT verify, logging, presence fan-out...): each
 * sample goes to the first concern whose every pattern matches some frame of its stack
 * (`<url> <functionName>`, root to leaf). Unlike self time by function, this follows the time of
 * a syscall or a native call back to whatever asked for it.
 */
import { readFile } from 'node:fs/promises';

export interface Concern {
  readonly label: string;
  /** Every pattern must match a frame of the stack. */
  readonly frames: readonly RegExp[];
  /** Not the server's own time (the profiler): left out of the busy total. */
  readonly excluded?: boolean;
}

interface ProfileNode {
  readonly id: number;
  readonly children?: readonly number[];
  readonly callFrame: { readonly functionName: string; readonly url: string };
}

export interface ConcernShares {
  readonly busyMs: number;
  readonly rows: readonly (readonly [label: string, ms: number])[];
}

const OTHER = 'other';

export async function splitByConcern(file: string, concerns: readonly Concern[]): Promise<ConcernShares> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  const frameOf = new Map(profile.nodes.map((node) => [node.id, `${node.callFrame.url} ${node.callFrame.functionName}`]));
  const concernOf = new Map<number, Concern | undefined>();
  const classify = (id: number): Concern | undefined => {
    if (concernOf.has(id)) return concernOf.get(id);
    const stack: string[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) stack.push(frameOf.get(at) ?? '');
    const found = concerns.find((c) => c.frames.every((pattern) => stack.some((frame) => pattern.test(frame))));
    concernOf.set(id, found);
    return found;
  };
  const totals = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((id, i) => {
    if (frameOf.get(id) === ' (idle)') return;
    const concern = classify(id);
    if (concern?.excluded) return;
    const us = profile.timeDeltas[i] ?? 0;
    busyUs += us;
    const label = concern?.label ?? OTHER;
    totals.set(label, (totals.get(label) ?? 0) + us);
  });
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([label, us]) => [label, us / 1000] as const);
  return { busyMs: busyUs / 1000, rows };
}
