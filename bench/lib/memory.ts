/** Memory figures of the current process, after a full GC when node runs with --expose-gc. */
import { writeHeapSnapshot } from 'node:v8';
import type { Message } from './child.js';

export interface MemorySnapshot {
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** Asks a bench server for its memory; with `heapSnapshot`, it also writes a V8 heap snapshot there (bench/heap-census.ts). */
export interface MemoryRequest extends Message {
  readonly type: 'memory';
  readonly heapSnapshot?: string;
}

export interface MemoryMessage extends MemorySnapshot {
  readonly type: 'memory';
  readonly connections: number;
}

export function memorySnapshot(): MemorySnapshot {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, external, arrayBuffers };
}

/** A bench server's answer to `memory`: the figures, then the heap snapshot if one was asked for. */
export function memoryAnswer(request: MemoryRequest, connections: number): MemoryMessage {
  const figures = memorySnapshot();
  if (request.heapSnapshot !== undefined) writeHeapSnapshot(request.heapSnapshot);
  return { type: 'memory', ...figures, connections };
}
