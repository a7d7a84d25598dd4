/** pino with every credential-bearing field redacted, at any level. */
import { pino, type DestinationStream, type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'cookie',
  'secret',
  'token',
  '*.secret',
  '*.token',
];

/**
 * Without a destination, stdout written asynchronously: while one write is in flight the next
 * lines gather behind it, so a busy server (a decision line per auth request, thousands a second
 * in a reconnect storm) makes one write syscall per batch rather than one per line, and a quiet
 * one still writes each line at once. pino flushes what is left synchronously on exit.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}
