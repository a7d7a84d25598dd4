/** IDENTITY_URL answers are read up to 64 KB: bigger, declared or streamed, is a 502 (a real local identity server). */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';

const CAP = 64 * 1024;
/** `{"id":"1","pad":"xxx…"}` of exactly `bytes` bytes (unknown fields are ignored). */
const answerOf = (bytes: number) => `{"id":"1","pad":"${'x'.repeat(bytes - '{"id":"1","pad":""}'.length)}"}`;

let identity: Server;
let server: RunningServer;

beforeAll(async () => {
  identity = createServer((req, res) => {
    const [kind, size] = (req.headers.cookie ?? '').replace('answer=', '').split(':');
    const body = answerOf(Number(size));
    if (kind === 'declared') return res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    // Streamed: chunked, no Content-Length, in 8 KB pieces.
    res.writeHead(200, { 'content-type': 'application/json' });
    for (let at = 0; at < body.length; at += 8192) res.write(body.slice(at, at + 8192));
    res.end();
  });
  await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', resolve));
  server = await startTestServer({ IDENTITY_URL: `http://127.0.0.1:${(identity.address() as AddressInfo).port}/whoami`, AUTH_RATE_LIMIT_PER_MINUTE: '0' });
});
afterAll(async () => {
  await server.close();
  identity.closeAllConnections();
  await new Promise<void>((resolve) => identity.close(() => resolve()));
});

async function auth(answer: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.url}/pusher/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `answer=${answer}` },
    body: '{"socket_id":"1.1","channel_name":"private-user-1"}',
  });
  return { status: res.status, body: await res.json() };
}

const TOO_BIG = {
  status: 502,
  body: { error: { code: 'upstream_error', message: `The identity service answered with more than ${CAP} bytes.`, details: { source: 'IDENTITY_URL', status: 200 } } },
};

describe('the identity service answer cap', () => {
  it.each(['declared', 'streamed'])('accepts an answer of exactly 64 KB (%s)', async (kind) => {
    const answer = await auth(`${kind}:${CAP}`);
    expect(answer).toEqual({ status: 200, body: { auth: expect.stringMatching(/^local-key:[0-9a-f]{64}$/) } });
  });

  it.each(['declared', 'streamed'])('is a 502 one byte over, and far over (%s)', async (kind) => {
    expect(await auth(`${kind}:${CAP + 1}`)).toEqual(TOO_BIG);
    expect(await auth(`${kind}:${20 * CAP}`)).toEqual(TOO_BIG);
  });
});
