/** The banner's console link: the generated token in the fragment, never a given one. */
import { describe, expect, it } from 'vitest';
import { banner } from '../../src/banner.js';
import { loadConfig } from '../../src/config.js';

const URL = 'http://127.0.0.1:3000';
const REMOTE = { PUSHER_HOST: 'h', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's', JWT_SECRET: 'j'.repeat(32) };
const consoleLine = (text: string) => text.split('\n').find((line) => line.trimStart().startsWith('Console'));

describe('the banner', () => {
  it("links to the console with embedded mode's generated token in the URL fragment", () => {
    const config = loadConfig({});
    expect(consoleLine(banner(config, URL))).toBe(`  Console        ${URL}/console#token=${config.consoleToken}`);
  });

  it('never prints a given CONSOLE_TOKEN', () => {
    const text = banner(loadConfig({ CONSOLE_TOKEN: 'given-console-token-do-not-print' }), URL);
    expect(consoleLine(text)).toBe(`  Console        ${URL}/console  (asks for your CONSOLE_TOKEN)`);
    expect(text).not.toContain('given-console-token-do-not-print');
  });

  it('says the console is off in remote mode without a token', () => {
    expect(consoleLine(banner(loadConfig(REMOTE), URL))).toBe('  Console        off: set CONSOLE_TOKEN to enable it');
  });
});
