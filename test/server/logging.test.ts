import { Writable } from 'node:stream';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: createLogger('trace', stream) };
}

describe('logs', () => {
  it('record every decision, and never a token, a signature or a secret, at any level', async () => {
    const { lines, logger } = capture();
    const config = loadConfig({ AUTH_RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'trace' });
    const app = createApp({ config, logger });
    const login = await request(app).post('/demo/login').send({ user_id: '1', name: 'Ada' });
    const token = login.body.token as string;
    const ok = await request(app)
      .post('/pusher/auth')
      .set('Authorization', `Bearer ${token}`)
      .set('Cookie', 'session=s3cr3t-cookie')
      .type('form')
      .send('socket_id=1.1&channel_name=presence-lobby');
    const denied = await request(app).post('/pusher/auth').set('Authorization', `Bearer ${token}`).send({ socket_id: '1.1', channel_name: 'private-user-2' });
    await request(app).post('/pusher/user-auth').set('Authorization', `Bearer ${token}`).send({ socket_id: '1.1' });
    expect(ok.status).toBe(200);
    expect(denied.status).toBe(403);

    const decisions = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.msg === 'channel authorization');
    expect(decisions).toEqual([
      expect.objectContaining({ userId: '1', channel: 'presence-lobby', rule: 'presence-{room}', verdict: 'allow' }),
      expect.objectContaining({ userId: '1', channel: 'private-user-2', rule: 'private-user-{userId}', verdict: 'deny' }),
    ]);
    const all = lines.join('\n');
    const signature = (ok.body.auth as string).split(':')[1] as string;
    for (const secret of [token, signature, config.app.secret, config.identity.jwtSecret, 's3cr3t-cookie', ...config.triggerTokens]) {
      expect(all).not.toContain(secret);
    }
  });

  it('redact credentials a handler might log by mistake', () => {
    const { lines, logger } = capture();
    logger.info({ headers: { authorization: 'Bearer abc.def.ghi', cookie: 'a=b' }, secret: 'x', token: 'y' }, 'oops');
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      secret: '[redacted]',
      token: '[redacted]',
    });
  });
});
