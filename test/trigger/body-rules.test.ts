/** /trigger and /trigger/batch body rules (400 with details) and the data size rule (413). */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';

let server: RunningServer;
const send = (path: string, body: unknown) =>
  request(server.url).post(path).set('authorization', `Bearer ${server.config.triggerTokens[0]}`).send(body as object);
const invalid = (details: Array<{ field: string; problem: string }>) => ({
  error: {
    code: 'invalid_request',
    message: `Invalid request: check ${[...new Set(details.map((d) => d.field))].join(', ')}.`,
    details,
  },
});
const NAME_RULE = 'must be 1..164 characters of A-Z a-z 0-9 _ - = @ , . ;';
const base = { channel: 'private-user-1', event: 'private-event', data: { message: 'hi' } };

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('POST /trigger body rules: 400 with every problem in details', () => {
  const cases: Array<[string, unknown, Array<{ field: string; problem: string }>]> = [
    ['an empty object', {}, [
      { field: 'event', problem: 'is required, as a string' },
      { field: 'data', problem: 'is required (any JSON value)' },
      { field: 'channel', problem: 'give exactly one of channel or channels' },
    ]],
    ['both channel and channels', { ...base, channels: ['a'] }, [{ field: 'channel', problem: 'give exactly one of channel or channels' }]],
    ['a # channel', { ...base, channel: '#server-to-user-1' }, [{ field: 'channel', problem: NAME_RULE }]],
    ['a channel with a space', { ...base, channel: 'private user' }, [{ field: 'channel', problem: NAME_RULE }]],
    ['a 165-character channel', { ...base, channel: `private-${'a'.repeat(157)}` }, [{ field: 'channel', problem: NAME_RULE }]],
    ['a channel that is a number', { ...base, channel: 7 }, [{ field: 'channel', problem: 'must be a string' }]],
    ['no channels', { ...base, channel: undefined, channels: [] }, [{ field: 'channels', problem: 'must name at least one channel' }]],
    ['101 channels', { ...base, channel: undefined, channels: Array.from({ length: 101 }, (_, i) => `c${i}`) }, [
      { field: 'channels', problem: 'must name at most 100 channels' },
    ]],
    ['a bad name among channels', { ...base, channel: undefined, channels: ['ok', 'not ok'] }, [{ field: 'channels.1', problem: NAME_RULE }]],
    ['an empty event', { ...base, event: '' }, [{ field: 'event', problem: 'must be 1..200 characters' }]],
    ['a 201-character event', { ...base, event: 'e'.repeat(201) }, [{ field: 'event', problem: 'must be 1..200 characters' }]],
    ['a pusher: event', { ...base, event: 'pusher:subscribe' }, [
      { field: 'event', problem: 'must not start with pusher: or pusher_internal: (reserved for Pusher)' },
    ]],
    ['a pusher_internal: event', { ...base, event: 'pusher_internal:member_added' }, [
      { field: 'event', problem: 'must not start with pusher: or pusher_internal: (reserved for Pusher)' },
    ]],
    ['no data', { ...base, data: undefined }, [{ field: 'data', problem: 'is required (any JSON value)' }]],
    ['a bad socket_id', { ...base, socket_id: '1234.5678\n' }, [{ field: 'socket_id', problem: 'must look like 1234.5678' }]],
    ['an encrypted channel among others', { ...base, channel: undefined, channels: ['news', 'private-encrypted-user-1'] }, [
      { field: 'channels.1', problem: 'is private-encrypted: publish to it alone, in its own trigger' },
    ]],
    ["Pusher's own `name` field", { channel: 'news', name: 'e', data: 1 }, [
      { field: 'event', problem: 'is required, as a string' },
      { field: 'body', problem: 'unknown field name: the fields are channel or channels, event, data, socket_id' },
    ]],
    ['an array', [base], [{ field: 'body', problem: 'must be a JSON object' }]],
  ];
  it.each(cases)('%s', async (_label, body, details) => {
    const res = await send('/trigger', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(invalid(details));
  });

  it('accepts 100 channels, every kind but encrypted, and null data', async () => {
    const channels = ['private-user-1', 'presence-room', 'news', ...Array.from({ length: 97 }, (_, i) => `c-${i}`)];
    const res = await send('/trigger', { channels, event: 'App\\Events\\Shipped', data: null, socket_id: '1.2' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });
});

describe('POST /trigger/batch body rules', () => {
  const item = { channel: 'news', event: 'e', data: 1 };
  it.each<[string, unknown, Array<{ field: string; problem: string }>]>([
    ['no batch', {}, [{ field: 'batch', problem: 'must be an array of events' }]],
    ['an empty batch', { batch: [] }, [{ field: 'batch', problem: 'must hold at least one event' }]],
    ['11 items', { batch: Array.from({ length: 11 }, () => item) }, [{ field: 'batch', problem: 'must hold at most 10 events' }]],
    ['a bad item', { batch: [item, { channel: '#x', event: 'pusher:x', data: 1 }] }, [
      { field: 'batch.1.channel', problem: NAME_RULE },
      { field: 'batch.1.event', problem: 'must not start with pusher: or pusher_internal: (reserved for Pusher)' },
    ]],
    ['an item with channels', { batch: [{ ...item, channels: ['a'] }] }, [
      { field: 'batch.0', problem: 'unknown field channels: the fields are channel, event, data, socket_id' },
    ]],
  ])('%s: 400', async (_label, body, details) => {
    const res = await send('/trigger/batch', body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(invalid(details));
  });
});

describe('data size: 10,240 bytes of the data string the HTTP API carries (413)', () => {
  const tooLarge = (field: string, bytes: number) => ({
    error: {
      code: 'payload_too_large',
      message: 'The event data is over 10240 bytes.',
      details: [{ field, problem: `is ${bytes} bytes once serialized; at most 10240 are allowed` }],
    },
  });

  it('accepts a string of exactly 10,240 bytes and refuses 10,241', async () => {
    expect((await send('/trigger', { ...base, data: 'x'.repeat(10_240) })).status).toBe(200);
    const res = await send('/trigger', { ...base, data: 'x'.repeat(10_241) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual(tooLarge('data', 10_241));
  });

  it('counts JSON data serialized, in UTF-8 bytes', async () => {
    // {"t":"é…"}: 8 bytes of JSON around 2 bytes per é
    expect((await send('/trigger', { ...base, data: { t: 'é'.repeat(5116) } })).status).toBe(200);
    const res = await send('/trigger', { ...base, data: { t: 'é'.repeat(5117) } });
    expect(res.status).toBe(413);
    expect(res.body).toEqual(tooLarge('data', 10_242));
  });

  it('counts the encrypted envelope on private-encrypted channels', async () => {
    // 8,002 bytes as JSON; sealed (+16) and base64ed, with the nonce and the envelope: 10,752
    const res = await send('/trigger', { channel: 'private-encrypted-user-1', event: 'e', data: 'x'.repeat(8000) });
    expect(res.status).toBe(413);
    expect(res.body).toEqual(tooLarge('data', 10_752));
  });

  it('names the batch item that is too large', async () => {
    const res = await send('/trigger/batch', { batch: [{ channel: 'a', event: 'e', data: 1 }, { channel: 'b', event: 'e', data: 'x'.repeat(10_241) }] });
    expect(res.status).toBe(413);
    expect(res.body).toEqual(tooLarge('batch.1.data', 10_241));
  });

  it('checks body rules before the data size', async () => {
    const res = await send('/trigger', { ...base, event: '', data: 'x'.repeat(20_000) });
    expect(res.status).toBe(400);
  });
});
