/** `npm run dev`'s log: a real pino logger written through the pretty destination. */
import { describe, expect, it } from 'vitest';
import { prettyDestination, prettyLine } from '../../src/dev/pretty-log.js';
import { createLogger } from '../../src/logger.js';

function devLogger() {
  const written: string[] = [];
  const logger = createLogger('debug', prettyDestination({ write: (text: string) => written.push(text) }));
  return { logger, written };
}

describe('the dev log', () => {
  it('prints time, level, message and fields as key=value, one line each', () => {
    const { logger, written } = devLogger();
    logger.info({ userId: '1', channel: 'private-user-1', rule: 'private-user-{userId}', reason: 'only user "2" may join' }, 'channel authorization');
    logger.debug({ count: 2, info: { a: 1 } }, 'debugging');
    expect(written).toEqual([
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} INFO  channel authorization userId=1 channel=private-user-1 rule=private-user-\{userId\} reason="only user \\"2\\" may join"\n$/),
      expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} DEBUG debugging count=2 info=\{"a":1\}\n$/),
    ]);
  });

  it('puts an error\'s stack under its line, and keeps redaction', () => {
    const { logger, written } = devLogger();
    logger.warn({ err: new Error('boom'), headers: { authorization: 'Bearer secret-token' } }, 'failed');
    const [line = ''] = written;
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN  failed headers=\{"authorization":"\[redacted\]"\}\n {4}Error: boom\n {8}at /);
    expect(line).not.toContain('secret-token');
  });

  it('passes a line that is not JSON as it is', () => {
    expect(prettyLine('plain text\n')).toBe('plain text\n');
  });
});
