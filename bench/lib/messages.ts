/** The IPC messages between the orchestrator and a client swarm (bench/swarm.ts). */
import type { Message } from './child.js';

export interface OpenRequest extends Message {
  readonly type: 'open';
  readonly wsUrl: string;
  readonly key: string;
  readonly count: number;
  /** Socket i subscribes to `${channelPrefix}-${i % channels}`. */
  readonly channelPrefix: string;
  readonly channels: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
}

export interface Opened extends Message {
  readonly type: 'opened';
  readonly opened: number;
  readonly failures: number;
  readonly ms: number;
}

export interface MeasureRequest extends Message {
  readonly type: 'measure';
  /** Every frame a socket receives counts until this many have arrived (or the timeout). */
  readonly expected: number;
  /** Latency is sampled on sockets whose index is divisible by this (1: every socket). */
  readonly sampleEvery: number;
  readonly timeoutMs: number;
}

export interface Measured extends Message {
  readonly type: 'measured';
  readonly deliveries: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** Epoch ms (sub-ms precision) of the last delivery. */
  readonly lastAt: number;
  /** Sockets that closed while they should have stayed open. */
  readonly unexpectedCloses: number;
}

export interface SettleRequest extends Message {
  readonly type: 'settle';
  /** Settled once no frame has arrived for this long. */
  readonly quietMs: number;
  readonly timeoutMs: number;
}

export interface Settled extends Message {
  readonly type: 'settled';
  /** Frames received outside a measurement since the last settle. */
  readonly strays: number;
  /** False when frames were still arriving at the timeout. */
  readonly quiet: boolean;
}

/** Epoch milliseconds with sub-millisecond precision, comparable across processes. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
