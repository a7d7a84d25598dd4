/**
 * A flood of client events is limited (docs/design.md#embedded-server-limits): 10 accepted per rolling second, the rest
 * answered with `pusher:error` 4301 and the sender kept connected; everyone else keeps receiving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualScheduler } from '../helpers/scheduler.js';
import { embeddedService, TEST_APP, type EmbeddedService } from '../helpers/embedded-service.js';
import { expectedAuth } from '../helpers/tokens.js';
import { RawClient } from '../../conformance/raw-client.js';

const CHANNEL = 'private-room';
const FLOOD = 40;
const LIMIT = 10;
const clock = new ManualScheduler();
let service: EmbeddedService;

beforeAll(async () => {
  service = embeddedService({ clock: clock.now });
  await service.service.start();
});
afterAll(() => service.service.stop());

async function member(): Promise<RawClient> {
  const probe = await RawClient.connect(service.service.url, TEST_APP.key);
  probe.send({ event: 'pusher:subscribe', data: { channel: CHANNEL, auth: expectedAuth(TEST_APP, `${probe.socketId}:${CHANNEL}`) } });
  await probe.waitFor((f) => f.event === 'pusher_internal:subscription_succeeded', `${CHANNEL} subscription`);
  return probe;
}

const clientEvents = (probe: RawClient, event: string) => probe.frames.filter((f) => f.event === event);
const errorCodes = (probe: RawClient) =>
  probe.frames.filter((f) => f.event === 'pusher:error').map((f) => (JSON.parse(f.data as string) as { code: number | null }).code);

describe('client event rate limit', () => {
  it('accepts 10 a second, answers the rest with 4301 without closing, and others keep receiving', async () => {
    const [flooder, listener, bystander] = [await member(), await member(), await member()];
    for (let i = 0; i < FLOOD; i += 1) flooder.send({ event: 'client-flood', channel: CHANNEL, data: { i } });
    await flooder.sync(); // every flood frame has been handled
    await listener.sync();

    expect(errorCodes(flooder)).toEqual(Array.from({ length: FLOOD - LIMIT }, () => 4301));
    const received = clientEvents(listener, 'client-flood').map((f) => (JSON.parse(f.data as string) as { i: number }).i);
    expect(received).toEqual(Array.from({ length: LIMIT }, (_, i) => i));
    expect(clientEvents(flooder, 'client-flood')).toEqual([]); // never echoed to the sender

    // Another client is not limited by the flooder's budget.
    bystander.send({ event: 'client-hello', channel: CHANNEL, data: { from: 'bystander' } });
    await listener.waitFor((f) => f.event === 'client-hello', 'the bystander event');
    await flooder.waitFor((f) => f.event === 'client-hello', 'the bystander event at the flooder');

    // A second later the flooder may talk again, and it was never disconnected.
    clock.advance(1000);
    flooder.send({ event: 'client-again', channel: CHANNEL, data: {} });
    await listener.waitFor((f) => f.event === 'client-again', 'the flooder event after the window');
    expect(flooder.socket.readyState).toBe(flooder.socket.OPEN);
    await Promise.all([flooder.close(), listener.close(), bystander.close()]);
  });
});
