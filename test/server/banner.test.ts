/** The banner's /trigger curl: shown with a generated token, never with a given one, and it works. */
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

/** The curl command printed under "Publish to private-user-1:", continuation lines joined. */
function triggerCurl(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.includes('Publish to private-user-1:'));
  if (start === -1) throw new Error('no /trigger curl in the banner');
  return `${lines[start + 1]}\n${lines[start + 2]}`;
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the startup banner', () => {
  it("shows embedded mode's generated token in a ready-to-paste curl that delivers to private-user-1", async () => {
    const text = banner(server.config, server.url);
    const curl = triggerCurl(text);
    expect(curl).toContain(`Authorization: Bearer ${server.config.triggerTokens[0]}`);
    const client = await connectClient(server.url, { userId: '1' });
    try {
      await client.subscribe('private-user-1');
      const inbox = client.listen('private-user-1', 'private-event');
      const { stdout } = await run('bash', ['-c', curl], { timeout: 10_000 });
      expect(JSON.parse(stdout)).toEqual({ ok: true });
      expect(await inbox.at(0)).toEqual({ message: 'hi' });
    } finally {
      client.disconnect();
    }
  });

  it('never prints a token given in the environment', async () => {
    const given = await startTestServer({ TRIGGER_TOKEN: 'given-token-do-not-print,second-given-token' });
    try {
      const text = banner(given.config, given.url);
      expect(triggerCurl(text)).toContain('"Authorization: Bearer $TRIGGER_TOKEN"'); // double quotes: the shell expands it
      expect(text).not.toContain('given-token-do-not-print');
      expect(text).not.toContain('second-given-token');
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
      const { stdout } = await run('bash', ['-c', triggerCurl(text)], { timeout: 10_000, env });
      expect(JSON.parse(stdout)).toEqual({ ok: true });
      expect(await inbox.at(0)).toEqual({ message: 'hi' });
    } finally {
      client.disconnect();
      await remote.close();
    }
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
