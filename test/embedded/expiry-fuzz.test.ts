/**
 * Property: a connection whose credentials expire while a batch of its subscriptions is still in
 * flight is closed with 4200 and leaves nothing behind: no connection, no occupied channel, no
 * presence member, every occupied/member_added matched by its vacated/member_removed; what it was
 * told before the close is a prefix of the batch, in order, with no error.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authString, channelStringToSign } from '@pusher-auth-server/pusher-core';
import { ManualScheduler } from '../helpers/scheduler.js';
import { withTimeout } from '../helpers/wait.js';
import { embeddedService, TEST_APP, type EmbeddedService } from '../helpers/embedded-service.js';
import { expiringBatch, type ExpiringBatch } from '../helpers/arbitraries.js';
import { RawClient } from '../../conformance/raw-client.js';

const clock = new ManualScheduler();
const counts = { occupied: 0, vacated: 0, added: 0, removed: 0 };
let service: EmbeddedService;

beforeAll(async () => {
  service = embeddedService({
    clock: clock.now,
    heartbeatIntervalMs: 2,
    hooks: {
      onChannelOccupied: () => (counts.occupied += 1),
      onChannelVacated: () => (counts.vacated += 1),
      onMemberAdded: () => (counts.added += 1),
      onMemberRemoved: () => (counts.removed += 1),
    },
  });
  await service.service.start();
});
afterAll(() => service.service.stop());

function subscribeFrame(socketId: string, { kind, name }: ExpiringBatch['channels'][number]): object {
  if (kind === 'public') return { event: 'pusher:subscribe', data: { channel: name } };
  const channelData = kind === 'presence' ? JSON.stringify({ user_id: 'expiring' }) : undefined;
  const auth = authString(TEST_APP, channelStringToSign(socketId, name, channelData));
  return { event: 'pusher:subscribe', data: { channel: name, auth, ...(channelData ? { channel_data: channelData } : {}) } };
}

async function run({ channels, expireAfter }: ExpiringBatch): Promise<void> {
  const client = await RawClient.connect(service.service.url, TEST_APP.key);
  service.embedded().expireConnection(client.socketId, Math.floor(clock.now() / 1000) + 1);
  channels.forEach((channel, i) => {
    if (i === expireAfter) clock.advance(1000);
    client.send(subscribeFrame(client.socketId, channel));
  });
  if (expireAfter === channels.length) clock.advance(1000);

  const closed = await withTimeout(client.closed, 5000, 'the expired connection to close');
  expect(closed.code).toBe(4200);
  const told = client.frames.slice(1); // after connection_established
  expect(told.every((f) => f.event === 'pusher_internal:subscription_succeeded')).toBe(true);
  expect(told.map((f) => f.channel)).toEqual(channels.slice(0, told.length).map((c) => c.name));
  expect(service.embedded().stats()).toEqual({ connections: 0, channels: 0, presenceMembers: 0 });
  expect(counts.vacated).toBe(counts.occupied);
  expect(counts.removed).toBe(counts.added);
}

describe('credentials that expire during a batch of subscriptions', () => {
  it('close the connection with 4200 and leave no channel, member or connection behind', async () => {
    await fc.assert(fc.asyncProperty(expiringBatch, run), { numRuns: 25 });
  }, 120_000);
});
