/**
 * Hostile bodies through the real server: JSON nested thousands deep (the stack must not decide the
 * answer), compressed bodies that are not what they claim, gzip bombs, and bodies cut off half-way.
 */
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '@pusher-auth-server/pusher-core';
import type { RunningServer } from '../../src/server.js';
import { captureLogger, logLine } from '../helpers/logger.js';
import { demoLogin } from '../helpers/pusher-client.js';
import { startTestServer } from '../helpers/server.js';
import { withTimeout } from '../helpers/wait.js';

const TOKEN = 'hostile-bodies-trigger-token';
const { logger, lines } = captureLogger();
let server: RunningServer;
let demoToken: string;

beforeAll(async () => {
  server = await startTestServer({ TRIGGER_TOKEN: TOKEN, AUTH_RATE_LIMIT_PER_MINUTE: '0' }, { logger });
  demoToken = await demoLogin(server.url, '1');
});
afterAll(() => server.close());

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const DEPTH = `nests deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`;
const tooDeep = (field: string) => ({
  error: { code: 'invalid_request', message: `Invalid request: check ${field}.`, details: [{ field, problem: DEPTH }] },
});

/** fetch, not supertest: superagent re-encodes Buffer bodies sent as JSON. */
async function post(path: string, body: string | Buffer, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: (await res.json()) as unknown };
}
const asTrigger = { authorization: `Bearer ${TOKEN}` };
const asDemoUser = () => ({ authorization: `Bearer ${demoToken}` });

describe('JSON nested deeper than any event needs', () => {
  it.each([5000, MAX_JSON_DEPTH + 1])('is a 400 naming data on /trigger, /trigger/batch and /demo/send (depth %i)', async (depth) => {
    const single = await post('/trigger', `{"channel":"news","event":"e","data":${nested(depth)}}`, asTrigger);
    expect([single.status, single.body]).toEqual([400, tooDeep('data')]);
    const entries = [0, 1, 2].map(() => '{"channel":"news","event":"e","data":1}');
    const batch = await post('/trigger/batch', `{"batch":[${entries.join(',')},{"channel":"news","event":"e","data":${nested(depth)}}]}`, asTrigger);
    expect([batch.status, batch.body]).toEqual([400, tooDeep('batch.3.data')]);
    const demo = await post('/demo/send', `{"channel":"presence-lobby","event":"e","data":{"a":${nested(depth)}}}`, asDemoUser());
    expect([demo.status, demo.body]).toEqual([400, tooDeep('data')]);
  });

  it('is published when it nests exactly as deep as allowed', async () => {
    const answer = await post('/trigger', `{"channel":"news","event":"e","data":${nested(MAX_JSON_DEPTH)}}`, asTrigger);
    expect([answer.status, answer.body]).toEqual([200, { ok: true }]);
  });

  it('never reaches serialization on the auth routes, /demo/login or the webhook receiver', async () => {
    const deep = nested(5000);
    const auth = await post('/pusher/auth', `{"socket_id":"1.1","channel_name":${deep}}`, asDemoUser());
    expect([auth.status, auth.body]).toEqual([400, { error: { code: 'invalid_request', message: 'Invalid request: check channel_name.', details: [{ field: 'channel_name', problem: 'is required, as a string' }] } }]);
    const user = await post('/pusher/user-auth', `{"socket_id":${deep}}`, asDemoUser());
    expect(user.status).toBe(400);
    const body = `{"events":[{"name":"channel_occupied","channel":${deep}}]}`;
    const { key, secret } = server.config.app;
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    const webhook = await post('/pusher/webhooks', body, { 'x-pusher-key': key, 'x-pusher-signature': signature });
    expect([webhook.status, webhook.body]).toEqual([200, { ok: true }]); // the receiver never re-serializes: the event is skipped
    expect(lines.items.filter((line) => line.level >= 50)).toEqual([]);
  });
});

const NOT_COMPRESSED = { error: { code: 'invalid_request', message: 'The request body is not valid data for its Content-Encoding.' } };
const UNKNOWN_ENCODING = { error: { code: 'unsupported_media_type', message: 'Send the body with no Content-Encoding, or gzip, deflate or br.' } };

describe('Content-Encoding', () => {
  const routes: Array<[string, () => Record<string, string>]> = [
    ['/pusher/auth', asDemoUser],
    ['/trigger', () => asTrigger],
    ['/demo/login', () => ({})],
    // Its raw body is read (so inflated) before the signature can be checked: the key is checked first.
    ['/pusher/webhooks', () => ({ 'x-pusher-key': server.config.app.key })],
  ];
  it.each(routes)('with a body that is not valid gzip, deflate or br, or empty, is a 400 on %s', async (path, headers) => {
    for (const encoding of ['gzip', 'deflate', 'br', 'GZIP']) {
      for (const body of ['{"user_id":"1"}', '']) {
        const answer = await post(path, body, { ...headers(), 'content-encoding': encoding });
        expect([encoding, body, answer.status, answer.body]).toEqual([encoding, body, 400, NOT_COMPRESSED]);
      }
    }
  });

  it.each(routes)('that is unknown is a 415 on %s', async (path, headers) => {
    const answer = await post(path, '{}', { ...headers(), 'content-encoding': 'compress' });
    expect([answer.status, answer.body]).toEqual([415, UNKNOWN_ENCODING]);
  });

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('%s bodies that are valid are inflated and accepted', async (encoding, compress) => {
    const body = compress(Buffer.from('{"channel":"news","event":"e","data":{"compressed":true}}'));
    const answer = await post('/trigger', body, { ...asTrigger, 'content-encoding': encoding });
    expect([answer.status, answer.body]).toEqual([200, { ok: true }]);
  });

  it('applies the body limit to the inflated size: a gzip bomb is a 413', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(64 * 1024); // small on the wire, under /trigger's 64 KB
    const answer = await post('/trigger', bomb, { ...asTrigger, 'content-encoding': 'gzip' });
    expect([answer.status, answer.body]).toEqual([413, { error: { code: 'payload_too_large', message: 'The request body is too large.' } }]);
  });
});

describe('a body the client abandons half-way', () => {
  it('is logged below error level, as the client hanging up', async () => {
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    // Expect: 100-continue makes the server say when it is reading the body: then we hang up mid-way.
    socket.write(
      'POST /trigger HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\n' +
        `Authorization: Bearer ${TOKEN}\r\nContent-Length: 1000\r\n\r\n`,
    );
    await withTimeout(new Promise((resolve) => socket.once('data', resolve)), 5000, '100 Continue');
    socket.write('{"channel":"news",');
    socket.destroy();
    const line = await logLine(lines, 'request aborted by the client', (l) => l.path === '/trigger');
    expect(line).toMatchObject({ level: 20, method: 'POST', path: '/trigger' });
    expect(lines.items.filter((l) => l.level >= 50)).toEqual([]);
  });
});
