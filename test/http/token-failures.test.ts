/**
 * Wrong bearer tokens counted per client address, across every token-protected route, against the
 * real server with an injected clock: past MAX_TOKEN_FAILURES in a minute, that address gets 429
 * everywhere a token is asked for, even with the right one, until its minute is over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenFailures, MAX_TOKEN_FAILURES } from '../../src/http/token-failures.js';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';

const TRIGGER_TOKEN = 'token-failures-trigger-token';
const CONSOLE_TOKEN = 'token-failures-console-token';
const METRICS_TOKEN = 'token-failures-metrics-token';
const WRONG = `Bearer ${'w'.repeat(32)}`;
// Real time plus what the test skips: the embedded server checks the SDK's request timestamps against it.
let skipped = 0;
let server: RunningServer;

beforeAll(async () => {
  // TRUST_PROXY: each test speaks as its own client address through X-Forwarded-For.
  server = await startTestServer({ TRIGGER_TOKEN, CONSOLE_TOKEN, METRICS_TOKEN, TRUST_PROXY: 'loopback', AUTH_RATE_LIMIT_PER_MINUTE: '0' }, { clock: () => Date.now() + skipped });
});
afterAll(() => server.close());

interface Call {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token: string;
  readonly body?: unknown;
}

/** Every token-protected route, with its right token and a body it accepts. */
const PROTECTED: Call[] = [
  { method: 'POST', path: '/trigger', token: TRIGGER_TOKEN, body: { channel: 'news', event: 'e', data: 1 } },
  { method: 'POST', path: '/trigger/batch', token: TRIGGER_TOKEN, body: { batch: [{ channel: 'news', event: 'e', data: 1 }] } },
  { method: 'POST', path: '/users/1/terminate', token: TRIGGER_TOKEN },
  { method: 'POST', path: '/users/1/events', token: TRIGGER_TOKEN, body: { event: 'e', data: 1 } },
  { method: 'GET', path: '/console/state', token: CONSOLE_TOKEN },
  { method: 'POST', path: '/console/explain', token: CONSOLE_TOKEN, body: { user: { id: '1' }, channel: 'private-user-1' } },
  { method: 'POST', path: '/console/users/1/terminate', token: CONSOLE_TOKEN },
  { method: 'GET', path: '/metrics', token: METRICS_TOKEN },
];

async function call({ method, path, body }: Call, address: string, authorization?: string) {
  const headers: Record<string, string> = { 'x-forwarded-for': address };
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text };
}

async function fail(address: string, times: number, route: Call = PROTECTED[0] as Call): Promise<void> {
  for (let i = 0; i < times; i += 1) expect((await call(route, address, WRONG)).status).toBe(401);
}

const rateLimited = (seconds: number) => ({
  status: 429,
  retryAfter: String(seconds),
  body: { error: { code: 'rate_limited', message: `Too many wrong tokens from this address: try again in ${seconds} s.` } },
});

describe('wrong bearer tokens, per client address', () => {
  it(`answers 429 on every token-protected route, right token or not, once ${MAX_TOKEN_FAILURES} wrong tokens came within a minute`, async () => {
    const address = '203.0.113.1';
    await fail(address, MAX_TOKEN_FAILURES);
    skipped += 15_000;
    for (const route of PROTECTED) {
      expect(await call(route, address, `Bearer ${route.token}`), route.path).toEqual(rateLimited(45));
    }
    expect((await call({ method: 'GET', path: '/healthz', token: '' }, address)).status).toBe(200);
    skipped += 44_000;
    expect(await call(PROTECTED[0] as Call, address, `Bearer ${TRIGGER_TOKEN}`)).toEqual(rateLimited(1));
    skipped += 1000; // the minute that began with the first wrong token is over
    for (const route of PROTECTED) {
      expect((await call(route, address, `Bearer ${route.token}`)).status, route.path).toBe(200);
    }
  });

  it('lets the threshold itself through: the wrong tokens before it are 401s, and the right token still works', async () => {
    const address = '203.0.113.2';
    await fail(address, MAX_TOKEN_FAILURES - 1);
    expect((await call(PROTECTED[0] as Call, address, `Bearer ${TRIGGER_TOKEN}`)).status).toBe(200);
    await fail(address, 1);
    expect((await call(PROTECTED[0] as Call, address, `Bearer ${TRIGGER_TOKEN}`)).status).toBe(429);
    skipped += 60_000;
  });

  it('counts wrong tokens on every route together, and not at all for another address', async () => {
    const address = '203.0.113.3';
    for (const [index, route] of PROTECTED.entries()) await fail(address, index < 2 ? 10 : 5, route);
    expect(2 * 10 + (PROTECTED.length - 2) * 5).toBe(MAX_TOKEN_FAILURES);
    expect((await call(PROTECTED[4] as Call, address, `Bearer ${CONSOLE_TOKEN}`)).status).toBe(429);
    expect((await call(PROTECTED[4] as Call, '203.0.113.4', `Bearer ${CONSOLE_TOKEN}`)).status).toBe(200);
    skipped += 60_000;
  });

  it('does not count a request that presents no token', async () => {
    const address = '203.0.113.5';
    for (let i = 0; i < MAX_TOKEN_FAILURES + 5; i += 1) {
      expect((await call(PROTECTED[0] as Call, address)).body).toEqual({
        error: { code: 'unauthenticated', message: 'Send the header Authorization: Bearer <TRIGGER_TOKEN>.' },
      });
    }
    expect((await call(PROTECTED[0] as Call, address, `Bearer ${TRIGGER_TOKEN}`)).status).toBe(200);
  });
});

describe('the per-address table', () => {
  it('stays bounded: past its size, the oldest windows are forgotten first', () => {
    let clock = 0;
    const failures = createTokenFailures({ clock: () => clock, maxFailures: 1, maxAddresses: 3 });
    for (const address of ['a', 'b', 'c']) failures.record(address);
    expect(['a', 'b', 'c'].map((address) => failures.retryAfterSeconds(address))).toEqual([60, 60, 60]);
    clock = 1000;
    failures.record('d');
    expect(['a', 'b', 'c', 'd'].map((address) => failures.retryAfterSeconds(address))).toEqual([undefined, 59, 59, 60]);
  });

  it('drops windows that are over before it drops live ones', () => {
    let clock = 0;
    const failures = createTokenFailures({ clock: () => clock, maxFailures: 1, maxAddresses: 2 });
    failures.record('a');
    clock = 30_000;
    failures.record('b');
    clock = 60_000; // a's minute is over, b's is not
    failures.record('c');
    expect(['a', 'b', 'c'].map((address) => failures.retryAfterSeconds(address))).toEqual([undefined, 30, 60]);
  });
});
