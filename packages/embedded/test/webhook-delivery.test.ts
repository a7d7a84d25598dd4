/** The webhook sender over real HTTP: signing, content type, order, retries with backoff, bounds. */
import Pusher from 'pusher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createWebhookSender,
  type DeliveryOutcome,
  type WebhookSender,
  type WebhookSenderOptions,
} from '../src/webhook-sender/index.js';
import { startHttpRecorder, type HttpRecorder, type RecordedRequest } from '../../../test/helpers/http-recorder.js';
import { silentLogger } from '../../../test/helpers/server.js';
import { ManualScheduler } from '../../../test/helpers/scheduler.js';
import { Inbox } from '../../../test/helpers/wait.js';

const app = { appId: '1', key: 'webhook-key', secret: 'webhook-secret' };
let receiver: HttpRecorder;
let scheduler: ManualScheduler;
let sender: WebhookSender;
/** What the sender concluded from each attempt, once it has: wait on this, not on the receiver. */
let outcomes: Inbox<DeliveryOutcome>;

function start(options: Partial<WebhookSenderOptions> = {}): WebhookSender {
  sender = createWebhookSender({
    url: `${receiver.url}/hooks`,
    app,
    logger: silentLogger,
    scheduler,
    observe: (outcome) => outcomes.push(outcome),
    ...options,
  });
  return sender;
}
const bodyOf = (request: RecordedRequest) => JSON.parse(request.body.toString()) as { time_ms: number; events: unknown[] };

beforeEach(async () => {
  receiver = await startHttpRecorder();
  scheduler = new ManualScheduler();
  outcomes = new Inbox();
});
afterEach(async () => {
  sender.close();
  await receiver.close();
});

describe('what is sent', () => {
  it('is a webhook the official pusher SDK accepts: exact content type, key, signature of the raw body', async () => {
    start().hooks.onChannelOccupied('news');
    const request = await receiver.requests.at(0);
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/hooks');
    expect(request.headers['content-type']).toBe('application/json');
    const sdk = new Pusher({ appId: app.appId, key: app.key, secret: app.secret, cluster: 'mt1' });
    const webhook = sdk.webhook({ headers: request.headers as Record<string, string>, rawBody: request.body.toString() });
    expect(webhook.isValid()).toBe(true);
    expect(webhook.getEvents()).toEqual([{ name: 'channel_occupied', channel: 'news' }]);
    expect(bodyOf(request)).toEqual({ time_ms: scheduler.now(), events: [{ name: 'channel_occupied', channel: 'news' }] });
    const wrongSecret = new Pusher({ appId: app.appId, key: app.key, secret: 'other', cluster: 'mt1' });
    expect(wrongSecret.webhook({ headers: request.headers as Record<string, string>, rawBody: request.body.toString() }).isValid()).toBe(false);
  });

  it('delivers one event per webhook, in the order they happened', async () => {
    const { hooks } = start();
    for (let i = 0; i < 20; i += 1) hooks.onClientEvent({ channel: `private-${i % 3}`, event: 'client-n', data: String(i), socketId: '1.1' });
    const requests = await receiver.requests.waitFor(20);
    expect(requests.map((r) => (bodyOf(r).events[0] as { data: string }).data)).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    await outcomes.waitFor(20);
    expect(sender.stats()).toMatchObject({ queued: 0, delivered: 20, failed: 0, dropped: 0 });
  });
});

describe('retries', () => {
  it('retries a failing receiver with exponential backoff; one that fails twice then succeeds gets it once', async () => {
    receiver.respond = (_request, index) => (index < 2 ? { status: 503 } : { status: 200 });
    const { hooks } = start();
    hooks.onMemberAdded('presence-a', '1');
    hooks.onMemberAdded('presence-a', '2');
    await receiver.requests.at(0);
    expect(await scheduler.scheduled.at(0)).toMatchObject({ delayMs: 1000 });
    scheduler.advance(999);
    expect(receiver.requests.items).toHaveLength(1);
    scheduler.advance(1);
    await receiver.requests.at(1);
    expect(await scheduler.scheduled.at(1)).toMatchObject({ delayMs: 2000 });
    scheduler.advance(2000);
    const requests = await receiver.requests.waitFor(4);
    // the same signed bytes each time, then the next event, never a duplicate once accepted
    expect(requests.map((r) => r.body.toString())).toEqual([requests[0]?.body.toString(), requests[0]?.body.toString(), requests[0]?.body.toString(), requests[3]?.body.toString()]);
    expect(bodyOf(requests[3] as RecordedRequest).events).toEqual([{ name: 'member_added', channel: 'presence-a', user_id: '2' }]);
    expect(await outcomes.waitFor(4)).toEqual(['retry', 'retry', 'ok', 'ok']);
    expect(sender.stats()).toMatchObject({ delivered: 2, failed: 0, queued: 0 });
  });

  it('counts a receiver that does not answer in time as a failure', async () => {
    receiver.respond = (_request, index) => (index === 0 ? 'hang' : { status: 204 });
    start({ delivery: { timeoutMs: 200 } }).hooks.onChannelOccupied('slow');
    expect(await scheduler.scheduled.at(0)).toMatchObject({ delayMs: 1000 });
    scheduler.advance(1000);
    await receiver.requests.at(1);
    expect(bodyOf(receiver.requests.items[1] as RecordedRequest).events).toEqual([{ name: 'channel_occupied', channel: 'slow' }]);
  });

  it('gives up after maxAttempts and moves on to the next event', async () => {
    receiver.respond = (request) => (request.body.includes('doomed') ? { status: 500 } : { status: 200 });
    const { hooks } = start({ delivery: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 150 } });
    hooks.onChannelOccupied('doomed');
    hooks.onChannelOccupied('fine');
    expect(await scheduler.scheduled.at(0)).toMatchObject({ delayMs: 100 });
    scheduler.advance(100);
    expect(await scheduler.scheduled.at(1)).toMatchObject({ delayMs: 150 });
    scheduler.advance(150);
    const requests = await receiver.requests.waitFor(4);
    expect(requests.map((r) => (bodyOf(r).events[0] as { channel: string }).channel)).toEqual(['doomed', 'doomed', 'doomed', 'fine']);
    expect(await outcomes.waitFor(4)).toEqual(['retry', 'retry', 'failed', 'ok']);
    expect(sender.stats()).toMatchObject({ delivered: 1, failed: 1 });
  });
});

describe('bounds and shutdown', () => {
  it('drops new events when the queue is full, keeping those already queued', async () => {
    receiver.respond = () => 'hang';
    const { hooks } = start({ delivery: { maxQueue: 3 } });
    for (const channel of ['a', 'b', 'c', 'd', 'e']) hooks.onChannelOccupied(channel);
    expect(sender.stats()).toMatchObject({ queued: 3, dropped: 2 });
    expect(outcomes.items).toEqual(['dropped', 'dropped']);
  });

  it('sends nothing more once closed: pending debounces and retries are dropped', async () => {
    receiver.respond = () => ({ status: 500 });
    const { hooks } = start();
    hooks.onChannelOccupied('a');
    await scheduler.scheduled.at(0);
    hooks.onChannelVacated('b');
    sender.close();
    scheduler.advance(60_000);
    hooks.onChannelOccupied('c');
    expect(sender.stats()).toMatchObject({ queued: 0, debouncing: 0 });
    expect(receiver.requests.items).toHaveLength(1);
  });
});
