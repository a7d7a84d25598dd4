/**
 * Property: whatever the Pusher service answers a publish (any status, any body up to megabytes, a
 * refusal inside a 200, a held request, a reset), /trigger answers exactly: 200 only for a 2xx
 * whose body, read within 64 KB, carries no `error`; 502 `upstream_error` for a refusal; 504
 * `upstream_timeout` when the outcome is unknown. Never a 500, never a body read past the cap.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { ANSWER_MAX_BYTES } from '../../src/trigger/signed-post.js';
import { startHttpRecorder, type HttpRecorder } from '../helpers/http-recorder.js';
import { startTestServer } from '../helpers/server.js';
import { upstreamAnswer } from '../helpers/arbitraries.js';

const TOKEN = 'upstream-answer-fuzz-token';
let upstream: HttpRecorder;
let server: RunningServer;

beforeAll(async () => {
  upstream = await startHttpRecorder();
  server = await startTestServer(
    { PUSHER_HOST: '127.0.0.1', PUSHER_PORT: String(upstream.port), PUSHER_USE_TLS: 'false', PUSHER_APP_ID: '1', PUSHER_KEY: 'k', PUSHER_SECRET: 's', JWT_SECRET: 'j'.repeat(32), TRIGGER_TOKEN: TOKEN },
    { publishTimeoutMs: 150 },
  );
});
afterAll(async () => {
  await server.close();
  await upstream.close();
});

/** The answer the route owes, computed from what the service said. */
function expected(answer: { status: number; body: string } | 'hang' | 'reset'): { status: number; code?: string } {
  if (answer === 'hang' || answer === 'reset') return { status: 504, code: 'upstream_timeout' };
  const body = answer.status === 204 ? '' : answer.body; // a 204 carries no body on the wire
  if (answer.status < 200 || answer.status >= 300) return { status: 502, code: 'upstream_error' };
  if (Buffer.byteLength(body) > ANSWER_MAX_BYTES) return { status: 504, code: 'upstream_timeout' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 200 };
  }
  const refusal = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) && (parsed as { error?: unknown }).error != null;
  return refusal ? { status: 502, code: 'upstream_error' } : { status: 200 };
}

describe('/trigger under arbitrary answers of the Pusher service', () => {
  it('answers 200, 502 upstream_error or 504 upstream_timeout exactly as the answer says', async () => {
    await fc.assert(
      fc.asyncProperty(upstreamAnswer, async (answer) => {
        upstream.respond = () => answer;
        const res = await fetch(`${server.url}/trigger`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: '{"channel":"news","event":"e","data":1}',
        });
        const body = (await res.json()) as { error?: { code: string; message: string; details?: { reason?: string } } };
        const want = expected(answer);
        expect({ status: res.status, code: body.error?.code }).toEqual({ status: want.status, code: want.code });
        if (want.code) expect((body.error?.details?.reason ?? '').length).toBeLessThanOrEqual(501);
        else expect(body).toEqual({ ok: true });
      }),
      { numRuns: 120 },
    );
  });
});
