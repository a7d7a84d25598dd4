import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';

const { app } = testApp({ CORS_ORIGINS: 'https://app.example, http://localhost:5173' });

describe('CORS on the auth routes', () => {
  it('answers an allowed origin\'s preflight with the headers auth clients send', async () => {
    const res = await request(app)
      .options('/pusher/auth')
      .set('Origin', 'https://app.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-allow-headers']).toBe('Content-Type,Authorization,X-CSRF-TOKEN,X-Socket-ID');
  });

  it('gives an allowed origin its headers on the request itself', async () => {
    const res = await request(app).post('/pusher/auth').set('Origin', 'http://localhost:5173').send({ socket_id: '1.1', channel_name: 'private-user-1' });
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it('gives any other origin no CORS headers at all', async () => {
    const res = await request(app)
      .options('/pusher/auth')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('has no CORS at all when CORS_ORIGINS is empty', async () => {
    const res = await request(testApp().app).post('/pusher/auth').set('Origin', 'https://app.example').send({});
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});
