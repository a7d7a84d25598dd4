import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawClient } from '../../conformance/raw-client.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';

let server: RunningServer;
const METRICS_TOKEN = 'metrics-token-for-tests';

beforeAll(async () => {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', METRICS_TOKEN, AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  server = await startServer(config, { logger: createLogger('silent') });
});
afterAll(() => server.close());

const scrape = async () => {
  const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
};

const authAs = async (userId: string, channel: string) => {
  const login = await fetch(`${server.url}/demo/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: userId }),
  });
  const { token } = (await login.json()) as { token: string };
  return fetch(`${server.url}/pusher/auth`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: `socket_id=1.1&channel_name=${channel}`,
  });
};

describe('GET /metrics', () => {
  it('is refused without the metrics token', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'unauthenticated', message: 'Send the metrics token as a bearer token.' },
    });
  });

  it('counts auth decisions by verdict, kind and fixed rule, and times every answer', async () => {
    expect((await authAs('1', 'private-user-1')).status).toBe(200);
    expect((await authAs('1', 'private-user-2')).status).toBe(403);
    expect((await authAs('1', 'private-nothing')).status).toBe(403);
    const text = await scrape();
    expect(text).toContain('pusher_auth_decisions_total{verdict="allow",kind="private",rule="private-user-{userId}"} 1');
    expect(text).toContain('pusher_auth_decisions_total{verdict="deny",kind="private",rule="private-user-{userId}"} 1');
    expect(text).toContain('pusher_auth_decisions_total{verdict="deny",kind="private",rule="none"} 1');
    expect(text).toMatch(/pusher_auth_request_duration_seconds_count\{route="channel"\} 3\n/);
    expect(text).toMatch(/process_cpu_user_seconds_total \d/);
  });

  it('counts triggers by outcome', async () => {
    const trigger = (token: string) =>
      fetch(`${server.url}/trigger`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'news', event: 'e', data: {} }),
      });
    expect((await trigger(server.config.triggerTokens[0] as string)).status).toBe(200);
    expect((await trigger('wrong')).status).toBe(401);
    const text = await scrape();
    expect(text).toContain('pusher_triggers_total{outcome="ok"} 1');
    expect(text).toContain('pusher_triggers_total{outcome="rejected"} 1');
  });

  it('reads the embedded server\'s connections at scrape time', async () => {
    const client = await RawClient.connect(server.url, server.config.app.key);
    const text = await scrape();
    expect(text).toMatch(/pusher_embedded_connections 1\n/);
    expect(text).toMatch(/pusher_embedded_connections_opened_total [1-9]/);
    expect(text).toMatch(/pusher_embedded_messages_out_total [1-9]/);
    await client.close();
  });
});
