/**
 * Counts a V8 heap snapshot (`.heapsnapshot`, the JSON `v8.writeHeapSnapshot` writes) by kind of
 * object: objects by constructor, closures by function name, arrays, strings and V8's hidden
 * objects by their type. Two snapshots' difference, divided by the connections opened between
 * them, says which objects an idle connection costs and how many bytes each (self size: the
 * object itself, not what it points to).
 */
import { readFile } from 'node:fs/promises';

export interface CensusEntry {
  readonly count: number;
  readonly bytes: number;
}

export type Census = Map<string, CensusEntry>;

interface SnapshotFile {
  readonly snapshot: { readonly meta: { readonly node_fields: string[]; readonly node_types: [string[], ...unknown[]] } };
  readonly nodes: number[];
  readonly strings: string[];
}

/** Objects and closures are told apart by name; numbers, strings and code only by their type. */
const NAMED_TYPES = new Set(['object', 'closure', 'native', 'hidden', 'array', 'object shape']);

export async function readCensus(file: string): Promise<Census> {
  const { snapshot, nodes, strings } = JSON.parse(await readFile(file, 'utf8')) as SnapshotFile;
  const fields = snapshot.meta.node_fields;
  const typeNames = snapshot.meta.node_types[0];
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [number, number, number];
  const census: Census = new Map();
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = typeNames[nodes[i + typeAt] ?? 0] ?? '?';
    const key = NAMED_TYPES.has(type) ? `${type} ${strings[nodes[i + nameAt] ?? 0] ?? '?'}` : type;
    const entry = census.get(key) ?? { count: 0, bytes: 0 };
    census.set(key, { count: entry.count + 1, bytes: entry.bytes + (nodes[i + sizeAt] ?? 0) });
  }
  return census;
}

export interface CensusDelta {
  readonly key: string;
  /** Objects of this kind per connection. */
  readonly countPer: number;
  /** Bytes of this kind per connection. */
  readonly bytesPer: number;
}

/** What grew from `before` to `after`, per connection, largest first; kinds under `minBytesPer` left out. */
export function censusDelta(before: Census, after: Census, connections: number, minBytesPer = 8): CensusDelta[] {
  const deltas: CensusDelta[] = [];
  for (const [key, entry] of after) {
    const was = before.get(key) ?? { count: 0, bytes: 0 };
    const bytesPer = (entry.bytes - was.bytes) / connections;
    if (Math.abs(bytesPer) >= minBytesPer) deltas.push({ key, countPer: (entry.count - was.count) / connections, bytesPer });
  }
  return deltas.sort((a, b) => b.bytesPer - a.bytesPer);
}
