/** TRUST_PROXY: the rate limits see the client behind a proxy only when told to trust it. */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createClientIp } from '../../src/http/client-ip.js';
import type { RunningServer } from '../../src/server.js';
import { demoLogin } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';

const started: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});
async function server(env: Record<string, string>): Promise<RunningServer> {
  const s = await startTestServer({ AUTH_RATE_LIMIT_PER_MINUTE: '1', ...env });
  started.push(s);
  return s;
}

const RATE_LIMITED = { error: { code: 'rate_limited', message: 'Too many requests: slow down and try again shortly.' } };
const auth = (s: RunningServer, token: string, forwardedFor: string) =>
  request(s.url).post('/pusher/auth').set('authorization', `Bearer ${token}`).set('x-forwarded-for', forwardedFor).send({ socket_id: '1.1', channel_name: 'private-user-1' });
const login = (s: RunningServer, forwardedFor: string) => request(s.url).post('/demo/login').set('x-forwarded-for', forwardedFor).send({ user_id: '1' });

describe('TRUST_PROXY and the auth rate limit', () => {
  it.each([['1'], ['127.0.0.1'], ['loopback'], ['127.0.0.0/8, 10.0.0.1'], ['true']])('TRUST_PROXY=%s: two forwarded clients have a limit each', async (setting) => {
    const s = await server({ TRUST_PROXY: setting });
    const token = await demoLogin(s.url, '1'); // 127.0.0.1, unforwarded: its own bucket
    expect((await auth(s, token, '203.0.113.1')).status).toBe(200);
    expect((await auth(s, token, '203.0.113.2')).status).toBe(200);
    const again = await auth(s, token, '203.0.113.1');
    expect([again.status, again.body]).toEqual([429, RATE_LIMITED]);
  });

  it.each([[undefined], ['false'], ['0'], ['10.0.0.1']])('TRUST_PROXY=%s: the forwarded header is ignored, the clients share a limit', async (setting) => {
    const s = await server(setting === undefined ? {} : { TRUST_PROXY: setting });
    const token = await demoLogin(s.url, '1'); // uses /demo/login's own limit, not /pusher/auth's
    expect((await auth(s, token, '203.0.113.1')).status).toBe(200);
    const other = await auth(s, token, '203.0.113.2');
    expect([other.status, other.body]).toEqual([429, RATE_LIMITED]);
  });

  it('limits /demo/login too, per client', async () => {
    const s = await server({ TRUST_PROXY: '1' });
    expect((await login(s, '203.0.113.1')).status).toBe(200);
    expect((await login(s, '203.0.113.2')).status).toBe(200);
    const again = await login(s, '203.0.113.1');
    expect([again.status, again.body]).toEqual([429, RATE_LIMITED]);
  });
});

describe('TRUST_PROXY in the configuration', () => {
  it.each([
    ['', false],
    ['false', false],
    ['TRUE', true],
    ['2', 2],
    ['loopback, 10.0.0.0/8', ['loopback', '10.0.0.0/8']],
  ])('reads %j', (value, expected) => {
    expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
  });

  it.each(['yes please', '10.0.0.0/33', '1.2.3', '-1'])('refuses %j, naming the variable and never the value', (value) => {
    const attempt = () => loadConfig({ TRUST_PROXY: value });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow('TRUST_PROXY: must be true, false, a hop count, or comma-separated addresses or subnets');
  });
});

describe('clientIp, for code outside Express', () => {
  it("reads the address as Express's req.ip does under the same setting", async () => {
    const seen: Array<{ trusted: string; untrusted: string }> = [];
    const trusted = createClientIp(['loopback']);
    const untrusted = createClientIp(false);
    const probe = createServer((req: IncomingMessage, res) => {
      seen.push({ trusted: trusted(req), untrusted: untrusted(req) });
      res.end();
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    try {
      await fetch(`http://127.0.0.1:${(probe.address() as AddressInfo).port}/`, { headers: { 'x-forwarded-for': '198.51.100.7, 127.0.0.1' } });
      expect(seen).toEqual([{ trusted: '198.51.100.7', untrusted: '127.0.0.1' }]);
    } finally {
      probe.closeAllConnections();
      await new Promise<void>((resolve) => probe.close(() => resolve()));
    }
  });
});
