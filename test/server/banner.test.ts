/** The banner's variables to export and its curls: generated tokens shown, given ones never, and they work pasted. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { banner } from '../../src/banner.js';
import { loadConfig } from '../../src/config.js';
import type { RunningServer } from '../../src/server.js';
import { connectClient } from '../helpers/pusher-client.js';
import { appEnv, startTestServer } from '../helpers/server.js';

const run = promisify(execFile);
let server: RunningServer;

/** The `count` lines printed under the line that includes `heading`. */
function linesUnder(text: string, heading: string, count: number): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.includes(heading));
  if (start === -1) throw new Error(`no "${heading}" in the banner`);
  return lines.slice(start + 1, start + 1 + count).join('\n');
}
const exportLine = (text: string) => linesUnder(text, "For the README's examples", 1);
const triggerCurl = (text: string) => linesUnder(text, 'Publish to private-user-1:', 2);
const pasted = (text: string, heading: string, count: number) => `${exportLine(text)}\n${linesUnder(text, heading, count)}`;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the startup banner', () => {
  it("shows embedded mode's generated tokens as values to export, which the pasted curls use", async () => {
    const text = banner(server.config, server.url);
    const { triggerTokens, consoleToken } = server.config;
    expect(exportLine(text)).toBe(`    export BASE=${server.url} TRIGGER_TOKEN=${triggerTokens[0]} CONSOLE_TOKEN=${consoleToken}`);
    expect(triggerCurl(text)).toContain('"Authorization: Bearer $TRIGGER_TOKEN"');
    const join = await run('bash', ['-c', pasted(text, 'ask to join private-user-1', 2)], { timeout: 10_000 });
    expect(JSON.parse(join.stdout)).toEqual({ auth: expect.stringMatching(/^local-key:[0-9a-f]{64}$/) });
    const client = await connectClient(server.url, { userId: '1' });
    try {
      await client.subscribe('private-user-1');
      const inbox = client.listen('private-user-1', 'private-event');
      const { stdout } = await run('bash', ['-c', pasted(text, 'Publish to private-user-1:', 2)], { timeout: 10_000 });
      expect(JSON.parse(stdout)).toEqual({ ok: true });
      expect(await inbox.at(0)).toEqual({ message: 'hi' });
    } finally {
      client.disconnect();
    }
  });

  it('never prints a token given in the environment', async () => {
    const given = await startTestServer({ TRIGGER_TOKEN: 'given-token-do-not-print,second-given-token', CONSOLE_TOKEN: 'given-console-do-not-print' });
    try {
      const text = banner(given.config, given.url);
      expect(triggerCurl(text)).toContain('"Authorization: Bearer $TRIGGER_TOKEN"'); // double quotes: the shell expands it
      expect(linesUnder(text, "For the README's examples", 2)).toBe(
        `    export BASE=${given.url}\n    # and export your TRIGGER_TOKEN and CONSOLE_TOKEN: given values are never printed`,
      );
      expect(text).not.toContain('given-token-do-not-print');
      expect(text).not.toContain('second-given-token');
      expect(text).not.toContain('given-console-do-not-print');
    } finally {
      await given.close();
    }
  });

  it("prints the remote service's full address, and a curl that works pasted with TRIGGER_TOKEN exported", async () => {
    const remote = await startTestServer({
      PUSHER_HOST: '127.0.0.1',
      PUSHER_PORT: String(server.port),
      PUSHER_USE_TLS: 'false',
      ...appEnv(server),
      JWT_SECRET: 'j'.repeat(32),
      DEMO_LOGIN: 'true',
      TRIGGER_TOKEN: 'given-remote-token',
    });
    const client = await connectClient(remote.url, { userId: '1' }); // configured to reach `server`
    try {
      const text = banner(remote.config, remote.url);
      expect(text).toContain(`  Pusher         remote: http://127.0.0.1:${server.port}\n`);
      expect(text).not.toContain('given-remote-token');
      await client.subscribe('private-user-1');
      const inbox = client.listen('private-user-1', 'private-event');
      const env = { PATH: process.env.PATH, TRIGGER_TOKEN: 'given-remote-token' };
      const { stdout } = await run('bash', ['-c', pasted(text, 'Publish to private-user-1:', 2)], { timeout: 10_000, env });
      expect(JSON.parse(stdout)).toEqual({ ok: true });
      expect(await inbox.at(0)).toEqual({ message: 'hi' });
    } finally {
      client.disconnect();
      await remote.close();
    }
  });

  it('offers the demo page only where its sign-in is on', () => {
    const remote = { PUSHER_CLUSTER: 'eu', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's', JWT_SECRET: 'j'.repeat(32) };
    const demoLine = (text: string) => text.split('\n').find((line) => line.startsWith('  Demo page'));
    const off = banner(loadConfig(remote), 'http://127.0.0.1:3000');
    expect(demoLine(off)).toBe('  Demo page      off: its sign-in needs DEMO_LOGIN=true (and JWT_SECRET)');
    expect(off).not.toContain('/demo/login');
    const on = banner(loadConfig({ ...remote, DEMO_LOGIN: 'true' }), 'http://127.0.0.1:3000');
    expect(demoLine(on)).toBe('  Demo page      http://127.0.0.1:3000/');
    expect(on).toContain('"$BASE/demo/login"');
  });

  it('prints a hosted cluster as its HTTPS API address', () => {
    const config = loadConfig({ PUSHER_CLUSTER: 'eu', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's', JWT_SECRET: 'j'.repeat(32) });
    expect(banner(config, 'http://127.0.0.1:3000')).toContain('  Pusher         remote: https://api-eu.pusher.com:443\n');
  });

  it('says /trigger is disabled in remote mode without a token', async () => {
    const remote = await startTestServer({
      PUSHER_HOST: '127.0.0.1',
      PUSHER_APP_ID: 'a',
      PUSHER_KEY: 'k',
      PUSHER_SECRET: 'remote-secret-never-printed',
      JWT_SECRET: 'j'.repeat(32),
    });
    try {
      const text = banner(remote.config, remote.url);
      expect(text).toContain('/trigger is disabled: set TRIGGER_TOKEN to enable it.');
      expect(text).not.toContain('remote-secret-never-printed');
    } finally {
      await remote.close();
    }
  });
});
