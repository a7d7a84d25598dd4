/** The IPC messages between the storm orchestrator (bench/storm.ts) and its client process (bench/storm-clients.ts). */
import type { Message } from './child.js';

export interface StormRequest extends Message {
  readonly type: 'storm';
  /** The embedded server's ws://host:port, where every client opens its WebSocket. */
  readonly wsUrl: string;
  readonly key: string;
  /** Where the clients POST their channel authorizations (the setup under test). */
  readonly authUrl: string;
  /** One bearer token per client; client i is user `userIds[i]`. */
  readonly tokens: readonly string[];
  readonly userIds: readonly string[];
  /** Clients i with the same floor(i / presenceSize) share a presence channel. */
  readonly presenceSize: number;
  /** At most this many clients between their start and their last subscription at once. */
  readonly concurrency: number;
  readonly timeoutMs: number;
}

export interface StormResult extends Message {
  readonly type: 'stormed';
  readonly clients: number;
  /** Clients back on every channel. */
  readonly back: number;
  /** Failed clients by reason (`auth 403`, `timeout`, `closed 4100`, ...). */
  readonly failures: Record<string, number>;
  /** From the storm's start until the last client was back on every channel. */
  readonly totalMs: number;
  /** Per client: from its start until it was back on every channel. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}
