import { describe, expect, it } from 'vitest';
import { PusherProtocolError } from '../src/protocol/codes.js';
import {
  clientEventDataString,
  decodeClientMessage,
  encodeChannelEvent,
  encodeProtocolMessage,
} from '../src/protocol/codec.js';

function decodeError(text: string): { kind: string; message: string } {
  try {
    decodeClientMessage(text);
  } catch (err) {
    if (err instanceof PusherProtocolError) return { kind: err.kind, message: err.message };
    throw err;
  }
  throw new Error('decoded without error');
}

describe('decodeClientMessage', () => {
  it('decodes pusher-js frames exactly', () => {
    expect(decodeClientMessage('{"event":"pusher:ping","data":{}}')).toEqual({ event: 'pusher:ping' });
    expect(decodeClientMessage('{"event":"pusher:subscribe","data":{"auth":"","channel":"my-channel"}}')).toEqual({
      event: 'pusher:subscribe',
      data: { channel: 'my-channel', auth: '' },
    });
    expect(
      decodeClientMessage('{"event":"pusher:subscribe","data":{"auth":"k:s","channel_data":"{\\"user_id\\":\\"1\\"}","channel":"presence-a"}}'),
    ).toEqual({ event: 'pusher:subscribe', data: { channel: 'presence-a', auth: 'k:s', channel_data: '{"user_id":"1"}' } });
    expect(decodeClientMessage('{"event":"pusher:unsubscribe","data":{"channel":"a"}}')).toEqual({
      event: 'pusher:unsubscribe',
      data: { channel: 'a' },
    });
    expect(decodeClientMessage('{"event":"pusher:signin","data":{"auth":"k:s","user_data":"{\\"id\\":\\"1\\"}"}}')).toEqual({
      event: 'pusher:signin',
      data: { auth: 'k:s', user_data: '{"id":"1"}' },
    });
    expect(decodeClientMessage('{"event":"client-typing","data":{"a":1},"channel":"private-x"}')).toEqual({
      event: 'client-typing',
      channel: 'private-x',
      data: { a: 1 },
    });
  });

  it('keeps channel_data as the exact bytes sent (no re-serialization)', () => {
    const channelData = '{ "user_info": {"b":1,"a":2}, "user_id" : "u\\/1" }';
    const frame = JSON.stringify({ event: 'pusher:subscribe', data: { channel: 'presence-x', auth: 'k:s', channel_data: channelData } });
    const message = decodeClientMessage(frame);
    expect(message.event === 'pusher:subscribe' && message.data.channel_data).toBe(channelData);
  });

  it('tolerates pusher:* data sent as a JSON string', () => {
    expect(decodeClientMessage('{"event":"pusher:unsubscribe","data":"{\\"channel\\":\\"a\\"}"}')).toEqual({
      event: 'pusher:unsubscribe',
      data: { channel: 'a' },
    });
  });

  it.each([
    ['not json', 'Invalid JSON: every message must be a JSON object with an "event" field'],
    ['[1,2]', 'Invalid message: every message must be a JSON object with an "event" field'],
    ['{"data":{}}', 'Invalid message: every message must be a JSON object with an "event" field'],
    ['{"event":42}', 'Invalid message: every message must be a JSON object with an "event" field'],
    ['{"event":"pusher:subscribe","data":{}}', 'Invalid data for pusher:subscribe: "channel" must be a string'],
    ['{"event":"pusher:subscribe","data":[]}', 'Invalid data for pusher:subscribe: expected an object'],
    [
      '{"event":"pusher:subscribe","data":{"channel":"presence-a","channel_data":{"user_id":"1"}}}',
      'Invalid data for pusher:subscribe: "channel_data" must be a string',
    ],
    ['{"event":"pusher:signin","data":{"auth":"x"}}', 'Invalid data for pusher:signin: "user_data" must be a string'],
    ['{"event":"client-x","data":{}}', 'Invalid client event client-x: "channel" must be a string'],
    ['{"event":"pusher_internal:member_added","data":{}}', 'Unsupported event received: pusher_internal:member_added'],
    ['{"event":"hello"}', 'Unsupported event received: hello'],
  ])('refuses %s', (text, message) => {
    expect(decodeError(text)).toEqual({ kind: 'invalid_message', message });
  });
});

describe('encoding server messages', () => {
  it('double-encodes pusher data as a string', () => {
    expect(encodeProtocolMessage({ event: 'pusher:connection_established', data: { socket_id: '1.2', activity_timeout: 120 } })).toBe(
      '{"event":"pusher:connection_established","data":"{\\"socket_id\\":\\"1.2\\",\\"activity_timeout\\":120}"}',
    );
    expect(encodeProtocolMessage({ event: 'pusher:error', data: { code: null, message: 'no' } })).toBe(
      '{"event":"pusher:error","data":"{\\"code\\":null,\\"message\\":\\"no\\"}"}',
    );
    expect(encodeProtocolMessage({ event: 'pusher:pong', data: {} })).toBe('{"event":"pusher:pong","data":"{}"}');
    expect(encodeProtocolMessage({ event: 'pusher_internal:subscription_succeeded', channel: 'a', data: {} })).toBe(
      '{"event":"pusher_internal:subscription_succeeded","channel":"a","data":"{}"}',
    );
    expect(
      encodeProtocolMessage({
        event: 'pusher_internal:subscription_succeeded',
        channel: 'presence-a',
        data: { presence: { ids: ['1'], hash: { '1': { name: 'A' } }, count: 1 } },
      }),
    ).toBe(
      '{"event":"pusher_internal:subscription_succeeded","channel":"presence-a","data":"{\\"presence\\":{\\"ids\\":[\\"1\\"],\\"hash\\":{\\"1\\":{\\"name\\":\\"A\\"}},\\"count\\":1}}"}',
    );
    expect(encodeProtocolMessage({ event: 'pusher_internal:member_removed', channel: 'presence-a', data: { user_id: '1' } })).toBe(
      '{"event":"pusher_internal:member_removed","channel":"presence-a","data":"{\\"user_id\\":\\"1\\"}"}',
    );
    expect(encodeProtocolMessage({ event: 'pusher:signin_success', data: { user_data: '{"id":"1"}' } })).toBe(
      String.raw`{"event":"pusher:signin_success","data":"{\"user_data\":\"{\\\"id\\\":\\\"1\\\"}\"}"}`,
    );
  });

  it('forwards app and client event data verbatim, user_id last', () => {
    expect(encodeChannelEvent({ event: 'e', channel: 'c', data: '{"some":"data"}' })).toBe(
      '{"event":"e","channel":"c","data":"{\\"some\\":\\"data\\"}"}',
    );
    expect(encodeChannelEvent({ event: 'client-e', channel: 'presence-c', data: 'plain', user_id: 'u1' })).toBe(
      '{"event":"client-e","channel":"presence-c","data":"plain","user_id":"u1"}',
    );
  });

  it('turns client event data into the string subscribers receive', () => {
    expect(clientEventDataString({ a: 1 })).toBe('{"a":1}');
    expect(clientEventDataString('as is')).toBe('as is');
    expect(clientEventDataString(null)).toBe('null');
    expect(clientEventDataString(undefined)).toBe('');
  });
});
