/** Linux /proc readings around a run: a process's CPU time, and the kernel's dropped connection attempts. */
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process, in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

/**
 * Machine-wide count of connection attempts a full accept queue turned away (TcpExt
 * ListenOverflows): the client retries its SYN after a second, so each one shows as a 1 s step.
 * NaN where /proc/net/netstat cannot be read.
 */
export function listenOverflows(): number {
  try {
    const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n').filter((l) => l.startsWith('TcpExt:'));
    const names = lines[0]?.split(' ') ?? [];
    const values = lines[1]?.split(' ') ?? [];
    return Number(values[names.indexOf('ListenOverflows')]);
  } catch {
    return Number.NaN;
  }
}
