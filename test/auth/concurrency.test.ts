/**
 * 2,000 auth requests from several identities, 200 in flight, over kept-alive connections to a
 * real server: every answer is the right one for the identity that asked (no cross-talk between
 * concurrent requests, no signature for someone else's channel).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { runPool } from '../helpers/pool.js';
import { expectedAuth, expectedSharedSecret, JWT_SECRET, tokenFor } from '../helpers/tokens.js';

const USERS = ['1', '2', '3', 'a.b@c', 'user-5'];
const REQUESTS = 2000;
const IN_FLIGHT = 200;
let server: RunningServer;
const tokens = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer({ JWT_SECRET, AUTH_RATE_LIMIT_PER_MINUTE: '0' });
  for (const user of USERS) tokens.set(user, await tokenFor(user));
});
afterAll(() => server.close());

type Kind = 'private' | 'encrypted' | 'presence';
const KINDS: Kind[] = ['private', 'encrypted', 'presence'];

/** Request i: a deterministic spread of askers, targets and channel kinds. */
function plan(i: number): { asker: string; target: string; kind: Kind; socketId: string } {
  return {
    asker: USERS[i % USERS.length] as string,
    target: USERS[Math.floor(i / USERS.length) % USERS.length] as string,
    kind: KINDS[Math.floor(i / (USERS.length * USERS.length)) % KINDS.length] as Kind,
    socketId: `${1000 + i}.${i * 7}`,
  };
}

function channelFor(kind: Kind, target: string): string {
  if (kind === 'private') return `private-user-${target}`;
  if (kind === 'encrypted') return `private-encrypted-user-${target}`;
  return `presence-room-${target}`;
}

describe('concurrent auth requests', () => {
  it(`answers ${REQUESTS} requests, ${IN_FLIGHT} in flight, each correctly for its identity`, async () => {
    const { app, encryptionMasterKey } = server.config;
    const outcomes = { allowed: 0, refused: 0 };
    await runPool(REQUESTS, IN_FLIGHT, async (i) => {
      const { asker, target, kind, socketId } = plan(i);
      const channel = channelFor(kind, target);
      const res = await fetch(`${server.url}/pusher/auth`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.get(asker)}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ socket_id: socketId, channel_name: channel }).toString(),
      });
      const body = (await res.json()) as Record<string, unknown>;
      const label = `request ${i}: ${asker} asks for ${channel}`;
      if (kind !== 'presence' && asker !== target) {
        expect(res.status, label).toBe(403);
        expect(body, label).not.toHaveProperty('auth');
        outcomes.refused += 1;
        return;
      }
      expect(res.status, label).toBe(200);
      if (kind === 'presence') {
        const channelData = JSON.stringify({ user_id: asker });
        expect(body, label).toEqual({ auth: expectedAuth(app, `${socketId}:${channel}:${channelData}`), channel_data: channelData });
      } else if (kind === 'encrypted') {
        expect(body, label).toEqual({
          auth: expectedAuth(app, `${socketId}:${channel}`),
          shared_secret: expectedSharedSecret(channel, encryptionMasterKey as Buffer),
        });
      } else {
        expect(body, label).toEqual({ auth: expectedAuth(app, `${socketId}:${channel}`) });
      }
      outcomes.allowed += 1;
    });
    // Every user and kind was exercised, on both sides of the policy.
    expect(outcomes.allowed + outcomes.refused).toBe(REQUESTS);
    expect(outcomes.refused).toBeGreaterThan(REQUESTS / 3);
    expect(outcomes.allowed).toBeGreaterThan(REQUESTS / 3);
  });
});
