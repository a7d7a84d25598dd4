/** The SDK publisher against a recording HTTP server: what it sends, and how failures become 502s. */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { HttpError } from '../../src/errors.js';
import { createPusherPublisher, publisherTargetFor, type ClosablePublisher } from '../../src/trigger/pusher-publisher.js';
import type { PublisherTarget } from '../../src/trigger/publisher.js';
import { dataBytes } from '../../src/trigger/schema.js';
import { startHttpRecorder, type HttpRecorder } from '../helpers/http-recorder.js';

const MASTER_KEY = Buffer.alloc(32, 9);
let upstream: HttpRecorder;
let publisher: ClosablePublisher;
const target = (overrides: Partial<PublisherTarget> = {}): PublisherTarget => ({
  appId: '77',
  key: 'the-key',
  secret: 'the-secret',
  host: '127.0.0.1',
  port: upstream.port,
  useTLS: false,
  encryptionMasterKey: MASTER_KEY,
  timeoutMs: 2000,
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const err: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (!(err instanceof HttpError)) throw new Error(`expected an HttpError, got ${String(err)}`);
  return err;
}

beforeEach(async () => {
  upstream = await startHttpRecorder();
  publisher = createPusherPublisher(target());
});
afterEach(async () => {
  publisher.close();
  await upstream.close();
});

describe('what the publisher sends', () => {
  it('POSTs a signed /apps/<id>/events with the data as a JSON string and socket_id', async () => {
    await publisher.publish({ channels: ['a', 'b'], event: 'ev', data: { x: 1 }, socketId: '1.2' });
    const sent = await upstream.requests.at(0);
    expect(sent.method).toBe('POST');
    expect(sent.path).toBe('/apps/77/events');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body.toString())).toEqual({ name: 'ev', data: '{"x":1}', channels: ['a', 'b'], socket_id: '1.2' });
    const query = [...sent.query].filter(([k]) => k !== 'auth_signature').sort(([a], [b]) => (a < b ? -1 : 1));
    const toSign = `POST\n/apps/77/events\n${query.map(([k, v]) => `${k}=${v}`).join('&')}`;
    expect(sent.query.get('auth_signature')).toBe(createHmac('sha256', 'the-secret').update(toSign).digest('hex'));
  });

  it('POSTs /apps/<id>/batch_events, string data unchanged', async () => {
    await publisher.publishBatch([
      { channel: 'a', event: 'one', data: 'as is' },
      { channel: 'b', event: 'two', data: [1], socketId: '3.4' },
    ]);
    const sent = await upstream.requests.at(0);
    expect(sent.path).toBe('/apps/77/batch_events');
    expect(JSON.parse(sent.body.toString())).toEqual({
      batch: [
        { channel: 'a', name: 'one', data: 'as is' },
        { channel: 'b', name: 'two', data: '[1]', socket_id: '3.4' },
      ],
    });
  });

  it('counts data bytes exactly as the SDK sends them, encrypted envelopes included', async () => {
    const samples: Array<[string, unknown]> = [];
    for (const channel of ['news', 'private-encrypted-x']) {
      for (const data of ['', 'a', 'ab', 'abc', 'é✓', { deep: ['x'.repeat(997)] }, null, 'y'.repeat(8000)]) samples.push([channel, data]);
    }
    for (const [channel, data] of samples) await publisher.publish({ channels: [channel], event: 'e', data });
    const sent = await upstream.requests.waitFor(samples.length);
    sent.forEach((request, i) => {
      const [channel, data] = samples[i] as [string, unknown];
      const carried = (JSON.parse(request.body.toString()) as { data: string }).data;
      expect(dataBytes(channel, data), `${channel} ${JSON.stringify(data).slice(0, 20)}`).toBe(Buffer.byteLength(carried));
    });
  });

  it('reads a lazy target on the first publish only', async () => {
    let reads = 0;
    const lazy = createPusherPublisher(() => {
      reads += 1;
      return target({ appId: 'lazy' });
    });
    expect(reads).toBe(0);
    await lazy.publish({ channels: ['a'], event: 'e', data: 1 });
    await lazy.publish({ channels: ['a'], event: 'e', data: 2 });
    lazy.close();
    expect(reads).toBe(1);
    expect((await upstream.requests.at(1)).path).toBe('/apps/lazy/events');
  });
});

describe('failures become 502 upstream_error', () => {
  it('carries the upstream status and its answer, with any secret redacted and long answers clipped', async () => {
    upstream.respond = () => ({ status: 500, body: `boom: the-secret ${MASTER_KEY.toString('base64')} ${'z'.repeat(600)}` });
    const err = await failure(publisher.publish({ channels: ['a'], event: 'e', data: 1 }));
    expect(err.status).toBe(502);
    expect(err.toBody().error.message).toBe('The Pusher service refused the event (HTTP 500).');
    const details = err.details as { status: number; reason: string };
    expect(details.status).toBe(500);
    expect(details.reason.startsWith('boom: [redacted] [redacted] zzz')).toBe(true);
    expect(details.reason).toHaveLength(501);
    expect(details.reason.endsWith('…')).toBe(true);
  });

  it('gives up after the timeout when the upstream never answers: 504, the event may have been delivered', async () => {
    upstream.respond = () => 'hang';
    const quick = createPusherPublisher(target({ timeoutMs: 300 }));
    const err = await failure(quick.publish({ channels: ['a'], event: 'e', data: 1 }));
    quick.close();
    expect(err.toBody()).toEqual({
      error: {
        code: 'upstream_timeout',
        message: 'The Pusher service did not answer within 300 ms: the event may have been delivered. Check before sending it again.',
        details: { status: null, reason: 'timeout' },
      },
    });
  });
});

describe('publisherTargetFor', () => {
  it('embedded: our own HTTP API over loopback on the bound port, plain HTTP', () => {
    const config = loadConfig({ HOST: '0.0.0.0' });
    expect(publisherTargetFor(config, 41234)).toMatchObject({ host: '127.0.0.1', port: 41234, useTLS: false, timeoutMs: 5000 });
    expect(publisherTargetFor(loadConfig({ HOST: '::1' }), 1)).toMatchObject({ host: '[::1]' });
  });

  it('remote: the cluster, or host/port/TLS as configured', () => {
    const creds = { PUSHER_APP_ID: '1', PUSHER_KEY: 'k', PUSHER_SECRET: 's', JWT_SECRET: 'j'.repeat(32) };
    expect(publisherTargetFor(loadConfig({ ...creds, PUSHER_CLUSTER: 'eu' }), 3000)).toEqual({
      appId: '1',
      key: 'k',
      secret: 's',
      cluster: 'eu',
      useTLS: true,
      timeoutMs: 5000,
    });
    const selfHosted = loadConfig({ ...creds, PUSHER_HOST: 'soketi', PUSHER_PORT: '6001', PUSHER_USE_TLS: 'false' });
    expect(publisherTargetFor(selfHosted, 3000)).toMatchObject({ host: 'soketi', port: 6001, useTLS: false });
  });
});
