/**
 * Every route that publishes, against a real HTTP server standing in for the Pusher service: a
 * request that left and got no answer (held past the timeout, or the connection reset after the
 * request was read) is 504 `upstream_timeout`, "may have been delivered", so a client knows a retry
 * may publish twice; a refusal the service answered stays 502 `upstream_error`; an answer of 21 MB
 * is not read past 64 KB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ANSWER_MAX_BYTES } from '../../src/trigger/signed-post.js';
import { startHttpRecorder, type HttpRecorder } from '../helpers/http-recorder.js';
import { demoLogin } from '../helpers/pusher-client.js';
import { remoteEnv, startTestServer } from '../helpers/server.js';

const TOKEN = 'publish-outcome-trigger-token';
const TIMEOUT_MS = 300;
let upstream: HttpRecorder;
let server: RunningServer;
let demoToken: string;

beforeAll(async () => {
  upstream = await startHttpRecorder();
  server = await startTestServer(
    {
      ...remoteEnv(upstream.port, { appId: '1', key: 'outcome-key', secret: 'outcome-secret' }),
      JWT_SECRET: 'j'.repeat(32),
      DEMO_LOGIN: 'true',
      TRIGGER_TOKEN: TOKEN,
      AUTH_RATE_LIMIT_PER_MINUTE: '0',
    },
    { publishTimeoutMs: TIMEOUT_MS },
  );
  demoToken = await demoLogin(server.url, '1');
});
afterAll(async () => {
  await server.close();
  await upstream.close();
});

interface Publish {
  readonly path: string;
  readonly body: unknown;
  readonly demo?: boolean;
  /** What the 504 says the service may have done. */
  readonly effect: string;
  /** Completes "The Pusher service refused …". */
  readonly refused?: string;
}

const PUBLISHES: Record<string, Publish> = {
  '/trigger': { path: '/trigger', body: { channel: 'news', event: 'e', data: 1 }, effect: 'the event may have been delivered' },
  '/trigger/batch': { path: '/trigger/batch', body: { batch: [{ channel: 'news', event: 'e', data: 1 }] }, effect: 'the events may have been delivered' },
  '/users/:userId/events': { path: '/users/1/events', body: { event: 'e', data: 1 }, effect: 'the event may have been delivered' },
  '/users/:userId/terminate': {
    path: '/users/1/terminate',
    body: {},
    effect: "the user's connections may have been closed",
    refused: "to close the user's connections",
  },
  '/demo/send': { path: '/demo/send', body: { channel: 'news', event: 'e', data: 1 }, demo: true, effect: 'the event may have been delivered' },
};

async function publish({ path, body, demo }: Publish): Promise<{ status: number; body: unknown; ms: number }> {
  const startedAt = performance.now();
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${demo ? demoToken : TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), ms: performance.now() - startedAt };
}

describe.each(Object.entries(PUBLISHES))('%s', (_route, route) => {
  it('answers 504 upstream_timeout when the service holds the request past the timeout', async () => {
    upstream.respond = () => 'hang';
    const answer = await publish(route);
    expect(answer).toMatchObject({
      status: 504,
      body: {
        error: {
          code: 'upstream_timeout',
          message: `The Pusher service did not answer within ${TIMEOUT_MS} ms: ${route.effect}. Check before sending it again.`,
          details: { status: null, reason: 'timeout' },
        },
      },
    });
    expect(answer.ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
  });

  it('answers 504 upstream_timeout when the answer starts but its body stalls past the timeout', async () => {
    upstream.respond = () => 'stall';
    expect(await publish(route)).toMatchObject({
      status: 504,
      body: { error: { code: 'upstream_timeout', details: { status: 200, reason: 'timeout' } } },
    });
  });

  it('answers 504 upstream_timeout when the connection is reset after the request was read', async () => {
    upstream.respond = () => 'reset';
    expect(await publish(route)).toMatchObject({
      status: 504,
      body: {
        error: {
          code: 'upstream_timeout',
          message: `The connection to the Pusher service was lost before its answer (ECONNRESET): ${route.effect}. Check before sending it again.`,
          details: { status: null, reason: 'connection lost: ECONNRESET' },
        },
      },
    });
  });

  it('keeps 502 upstream_error for a refusal the service answered', async () => {
    upstream.respond = () => ({ status: 403, body: 'not allowed' });
    expect(await publish(route)).toMatchObject({
      status: 502,
      body: {
        error: {
          code: 'upstream_error',
          message: `The Pusher service refused ${route.refused ?? 'the event'} (HTTP 403).`,
          details: { status: 403, reason: 'not allowed' },
        },
      },
    });
  });
});

describe('the answer of the Pusher service is read capped', () => {
  it(`refuses a 21 MB answer without reading past ${ANSWER_MAX_BYTES} bytes`, async () => {
    const huge = 'x'.repeat(21 * 1024 * 1024);
    upstream.respond = () => ({ status: 500, body: huge });
    expect(await publish(PUBLISHES['/trigger'] as Publish)).toMatchObject({
      status: 502,
      body: { error: { code: 'upstream_error', details: { status: 500, reason: `an answer over ${ANSWER_MAX_BYTES} bytes, not read` } } },
    });
  });

  it('calls a success too large to read an unknown outcome (504), never a success', async () => {
    upstream.respond = () => ({ status: 200, body: `{"ok":true,"pad":"${'y'.repeat(ANSWER_MAX_BYTES)}"}` });
    expect(await publish(PUBLISHES['/trigger'] as Publish)).toMatchObject({
      status: 504,
      body: { error: { code: 'upstream_timeout', details: { status: 200, reason: 'answer too large' } } },
    });
  });

  it('reads an answer at the cap in full', async () => {
    const error = 'e'.repeat(ANSWER_MAX_BYTES - '{"error":""}'.length);
    upstream.respond = () => ({ status: 200, body: JSON.stringify({ error }) });
    const answer = await publish(PUBLISHES['/trigger'] as Publish);
    expect(answer).toMatchObject({ status: 502, body: { error: { code: 'upstream_error', details: { status: 200 } } } });
    expect((answer.body as { error: { details: { reason: string } } }).error.details.reason).toBe(`${'e'.repeat(500)}…`);
  });
});
