/**
 * `npm run dev` only: pino's JSON lines made readable, one line each (a stack follows on its own
 * lines): `12:00:00.000 INFO  channel authorization userId=1 channel=private-user-1`. Redaction
 * happened before: this sees only what pino would have written.
 */
import type { DestinationStream } from 'pino';

const LEVELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
/** What every line has, or what is shown already: not repeated as `key=value`. */
const SHOWN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err']);

function valueText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** One JSON line of pino as text; a line that is not JSON passes as it is. */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const level = LEVELS[entry.level as number] ?? String(entry.level);
  const fields = Object.entries(entry)
    .filter(([key]) => !SHOWN.has(key))
    .map(([key, value]) => `${key}=${valueText(value)}`);
  const text = [time, level, typeof entry.msg === 'string' ? entry.msg : '', ...fields].filter(Boolean).join(' ');
  const err = entry.err as { stack?: unknown; message?: unknown } | undefined;
  const stack = typeof err?.stack === 'string' ? err.stack : typeof err?.message === 'string' ? err.message : undefined;
  return stack === undefined ? `${text}\n` : `${text}\n    ${stack.split('\n').join('\n    ')}\n`;
}

export function prettyDestination(out: { write(text: string): unknown }): DestinationStream {
  return { write: (line: string) => void out.write(prettyLine(line)) };
}
