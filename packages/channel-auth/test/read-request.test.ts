/**
 * What an auth request's body asks for, as `pusherAuth` reads it: one channel or a batch, from our
 * parser's literal keys or an app's extended parser's array or index-keyed object; and the batch
 * problems that are the client's 400. Found by mutation testing (issue 19).
 */
import { describe, expect, it } from 'vitest';
import { HttpError } from '../src/http/errors.js';
import { readChannelAuthRequest } from '../src/http/read-request.js';
import { channelRequestProblem } from '../src/requests.js';

const ours = { form: true, parsedByApp: false };
const apps = { form: true, parsedByApp: true };
const SOCKET = '1.1';

function refusal(read: () => unknown) {
  try {
    read();
  } catch (err) {
    if (err instanceof HttpError) return { status: err.status, body: err.toBody() };
    throw err;
  }
  throw new Error('expected a refusal');
}
const channelNameRefusal = (problem: string) => ({
  status: 400,
  body: { error: { code: 'invalid_request', message: 'Invalid request: check channel_name.', details: [{ field: 'channel_name', problem }] } },
});

describe('readChannelAuthRequest', () => {
  it('reads literal batch keys in index order', () => {
    const body = { socket_id: SOCKET, 'channel_name[10]': 'private-k', 'channel_name[2]': 'private-c', 'channel_name[0]': 'private-a' };
    expect(readChannelAuthRequest(body, ours)).toStrictEqual({ socketId: SOCKET, channels: ['private-a', 'private-c', 'private-k'], batch: true });
  });

  it("reads an app parser's index-keyed object in index order, and its array as it is", () => {
    const keyed = { socket_id: SOCKET, channel_name: { 10: 'private-k', 2: 'private-c' } };
    expect(readChannelAuthRequest(keyed, apps)).toStrictEqual({ socketId: SOCKET, channels: ['private-c', 'private-k'], batch: true });
    const listed = { socket_id: SOCKET, channel_name: ['private-b', 'private-a'] };
    expect(readChannelAuthRequest(listed, apps)).toStrictEqual({ socketId: SOCKET, channels: ['private-b', 'private-a'], batch: true });
  });

  it('an object that is not index-keyed, or empty, is no batch: a 400 for channel_name', () => {
    for (const channel_name of [{ a: 'private-a' }, {}, { 0: 'private-a', x: 'private-b' }]) {
      expect(refusal(() => readChannelAuthRequest({ socket_id: SOCKET, channel_name }, apps))).toStrictEqual(channelNameRefusal('is required, as a string'));
    }
  });

  it('an array sent to our own parser is not a batch', () => {
    expect(refusal(() => readChannelAuthRequest({ socket_id: SOCKET, channel_name: ['private-a'] }, ours))).toStrictEqual(
      channelNameRefusal('is required, as a string'),
    );
  });

  it('refuses one channel_name beside batch keys', () => {
    const body = { socket_id: SOCKET, channel_name: 'private-a', 'channel_name[0]': 'private-b' };
    expect(refusal(() => readChannelAuthRequest(body, ours))).toStrictEqual(channelNameRefusal('send one channel_name or a batch, not both'));
  });

  it('refuses a batch of 101, and accepts 100', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `private-${i}`);
    expect(refusal(() => readChannelAuthRequest({ socket_id: SOCKET, channel_name: names(101) }, apps))).toStrictEqual(
      channelNameRefusal('a batch holds 1..100 channels'),
    );
    expect(readChannelAuthRequest({ socket_id: SOCKET, channel_name: names(100) }, apps).channels).toHaveLength(100);
  });

  it('refuses a batch entry that is not a single string', () => {
    const body = { socket_id: SOCKET, channel_name: ['private-a', ['private-b']] };
    expect(refusal(() => readChannelAuthRequest(body, apps))).toStrictEqual(channelNameRefusal('each batch entry must be a single string'));
  });
});

describe('channelRequestProblem', () => {
  it('refuses an empty batch and one of 101 names, before anyone is identified', () => {
    for (const channels of [[], Array.from({ length: 101 }, (_, i) => `private-${i}`)]) {
      expect(refusal(() => { throw channelRequestProblem(SOCKET, channels, true); })).toStrictEqual(channelNameRefusal('a batch holds 1..100 channels'));
    }
  });

  it('refuses a single channel_name that is not a string, and a socket id that is not one', () => {
    expect(refusal(() => { throw channelRequestProblem(SOCKET, [7], false); })).toStrictEqual(channelNameRefusal('is required, as a string'));
    expect(refusal(() => { throw channelRequestProblem(7, ['private-a'], false); })).toStrictEqual({
      status: 400,
      body: { error: { code: 'invalid_request', message: 'Invalid request: check socket_id.', details: [{ field: 'socket_id', problem: 'is required, as a string' }] } },
    });
  });

  it('accepts a batch of exactly 100 names', () => {
    expect(channelRequestProblem(SOCKET, Array.from({ length: 100 }, (_, i) => `private-${i}`), true)).toBeUndefined();
  });

  it('a batch with one name that can be authorized is not refused whole', () => {
    expect(channelRequestProblem(SOCKET, [7, 'public', 'private-a'], true)).toBeUndefined();
  });
});
