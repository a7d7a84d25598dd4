import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';

const remote = { PUSHER_APP_ID: 'a', PUSHER_KEY: 'remote-key', PUSHER_SECRET: 'never-shown', JWT_SECRET: 'jwt-never-shown-jwt-never-shown-0' };

describe('GET /healthz', () => {
  it('says ok and the mode', async () => {
    const res = await request(testApp().app).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', mode: 'embedded' });
  });
});

describe('GET /pusher/config', () => {
  it('embedded: the host the request came to, our port, plain ws', async () => {
    const res = await request(testApp().app).get('/pusher/config').set('Host', 'laptop.local:3000');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      key: 'local-key',
      cluster: 'local',
      wsHost: 'laptop.local',
      wsPort: expect.any(Number),
      wssPort: expect.any(Number),
      forceTLS: false,
      enabledTransports: ['ws', 'wss'],
      channelAuthorization: { endpoint: '/pusher/auth', transport: 'ajax' },
      userAuthentication: { endpoint: '/pusher/user-auth', transport: 'ajax' },
      mode: 'embedded',
    });
  });

  it('hosted Pusher: the cluster\'s own host over TLS, and no secret', async () => {
    const res = await request(testApp({ ...remote, PUSHER_CLUSTER: 'eu' }).app).get('/pusher/config');
    expect(res.body).toMatchObject({ key: 'remote-key', cluster: 'eu', wsHost: 'ws-eu.pusher.com', wsPort: 80, wssPort: 443, forceTLS: true, mode: 'remote' });
    expect(JSON.stringify(res.body)).not.toMatch(/never-shown/);
  });

  it('self-hosted: PUSHER_WS_HOST and PUSHER_WS_PORT win over the publish address', async () => {
    const app = testApp({ ...remote, PUSHER_HOST: 'soketi.internal', PUSHER_PORT: '6001', PUSHER_USE_TLS: 'false', PUSHER_WS_HOST: 'ws.example.com', PUSHER_WS_PORT: '443' }).app;
    const res = await request(app).get('/pusher/config');
    expect(res.body).toMatchObject({ cluster: 'custom', wsHost: 'ws.example.com', wsPort: 443, wssPort: 443, forceTLS: false });
  });
});

describe('security headers', () => {
  it('a strict CSP that allows no inline script', async () => {
    const res = await request(testApp().app).get('/healthz');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain("script-src 'self' 'unsafe-inline'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
