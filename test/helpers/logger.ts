/** Shared test helper: a real pino logger whose lines land in an Inbox, parsed. */
import { pino, type Logger } from 'pino';
import { REDACTED_PATHS } from '../../src/logger.js';
import { Inbox } from './wait.js';

export type LogLine = Record<string, unknown> & { level: number; msg?: string };

export function captureLogger(level = 'debug'): { logger: Logger; lines: Inbox<LogLine> } {
  const lines = new Inbox<LogLine>();
  const stream = { write: (line: string) => lines.push(JSON.parse(line) as LogLine) };
  const logger = pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream);
  return { logger, lines };
}

/** The first line (from now or already there) whose msg is `msg` and that passes `match`. */
export async function logLine(lines: Inbox<LogLine>, msg: string, match: (line: LogLine) => boolean = () => true, timeoutMs = 5000): Promise<LogLine> {
  for (let i = 0; ; i += 1) {
    const line = await lines.at(i, timeoutMs, `log line "${msg}"`);
    if (line.msg === msg && match(line)) return line;
  }
}
