/**
 * `pusher_upstream_errors_total{source}` names what failed: a real IDENTITY_URL, JWKS_URL and
 * AUTHZ_URL that answer 500, and a rule that throws, each counted once as itself.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channel } from '@pusher-auth-server/channel-auth';
import { generateKeyPair, SignJWT } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createMetrics } from '../../src/metrics/metrics.js';
import { silentLogger } from '../helpers/server.js';

const SECRET = 'upstream-metrics-jwt-secret-32-bytes!';
let failing: Server;
let failingUrl: string;

beforeAll(async () => {
  failing = createServer((_req, res) => res.writeHead(500).end('down'));
  await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
  failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
});
afterAll(() => {
  failing.closeAllConnections();
  return new Promise((resolve) => failing.close(resolve));
});

const hs256 = (sub: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setExpirationTime('10m').sign(new TextEncoder().encode(SECRET));

describe('pusher_upstream_errors_total', () => {
  it('counts each failing upstream by what failed, never an identity outage for the others', async () => {
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
      JWT_SECRET: SECRET,
      JWKS_URL: `${failingUrl}/jwks.json`,
      IDENTITY_URL: `${failingUrl}/whoami`,
      AUTHZ_URL: `${failingUrl}/can-join`,
    });
    const rules = [
      channel('private-throws-{id}', () => {
        throw new Error('bug in a rule');
      }),
    ];
    const app = createApp({ config, logger: silentLogger, metrics: createMetrics(), rules });
    const join = (name: string) => request(app).post('/pusher/auth').type('form').send(`socket_id=1.1&channel_name=${name}`);

    const { privateKey } = await generateKeyPair('RS256');
    const rs256 = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('1').setExpirationTime('10m').sign(privateKey);
    const bearer = `Bearer ${await hs256('1')}`;
    const answers = [
      await join('private-user-1').set('Cookie', 'session=s'), // IDENTITY_URL
      await join('private-user-1').set('Authorization', `Bearer ${rs256}`), // JWKS_URL
      await join('private-throws-1').set('Authorization', bearer), // a rule
      await join('private-nobody-decides').set('Authorization', bearer), // AUTHZ_URL
    ];
    expect(answers.map((res) => [res.status, res.body.error.code])).toEqual(Array(4).fill([502, 'upstream_error']));

    const text = (await request(app).get('/metrics')).text;
    const counted = [...text.matchAll(/^pusher_upstream_errors_total\{source="(\w+)"\} (\d+)$/gm)].map(([, source, n]) => [source, Number(n)]);
    expect(Object.fromEntries(counted)).toEqual({ identity_url: 1, jwks: 1, rule: 1, authz_url: 1 });
  });
});
