/** The machine a run happened on, for RESULTS.md. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly os: string;
  readonly node: string;
  readonly packages: string;
  readonly fdLimit: string;
}

const require = createRequire(import.meta.url);
const version = (name: string): string => (require(`${name}/package.json`) as { version: string }).version;

/** The soft file-descriptor limit of this process (Linux), or "unknown". */
function fdLimit(): string {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    return /Max open files\s+(\d+)/.exec(limits)?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpu: (cpus[0]?.model ?? 'unknown').trim(),
    cores: cpus.length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    packages: ['express', 'ws', 'pusher', 'autocannon'].map((name) => `${name} ${version(name)}`).join(', '),
    fdLimit: fdLimit(),
  };
}

/** 1-minute load average: how busy the machine was with other work around a run. */
export function loadAverage(): number {
  return os.loadavg()[0] ?? Number.NaN;
}
