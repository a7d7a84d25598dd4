/**
 * createChannelAuth's own checks and callbacks: required options, a sign-in's socket id, single
 * versus batch refusals, and `onGranted` (with the user's expiry; one that throws is logged).
 * Found by mutation testing (issue 19).
 */
import type { Logger } from '@pusher-auth-server/pusher-core';
import Pusher from 'pusher';
import { describe, expect, it } from 'vitest';
import { type ChannelAuthOptions, createChannelAuth, type Grant } from '../src/core.js';
import { channel } from '../src/policy/engine.js';
import { createSigner } from '../src/signer.js';

const APP = { appId: '1', key: 'f00d', secret: 'tofu' };
const rules = [channel('private-{x}', () => true)];
const auth = (extra: Partial<ChannelAuthOptions> = {}) => createChannelAuth({ ...APP, rules, ...extra } as ChannelAuthOptions);
const refusal = (message: string, details: unknown) => ({ status: 400, body: { error: { code: 'invalid_request', message, details } } });

describe('createChannelAuth', () => {
  it('refuses options without rules', () => {
    expect(() => createChannelAuth({ ...APP } as unknown as ChannelAuthOptions)).toThrow(new TypeError('rules is required: an array of channel() rules.'));
  });

  it('refuses a sign-in for a socket id that is not one', async () => {
    expect(await auth().authenticateUser({ user: { id: '1' }, socketId: 'x' })).toStrictEqual(
      refusal('Invalid request: check socket_id.', [{ field: 'socket_id', problem: 'must look like 1234.5678' }]),
    );
  });

  it('refuses a single public channel for its name, and a batch only when none of its names can be signed', async () => {
    expect(await auth().authorizeChannel({ user: { id: '1' }, socketId: '1.1', channel: 'public' })).toStrictEqual(
      refusal('Invalid request: check channel_name.', [
        { field: 'channel_name', problem: 'must start with private-, presence- or private-encrypted-: other channels need no authorization' },
      ]),
    );
    const batch = await auth().authorizeBatch({ user: { id: '1' }, socketId: '1.1', channels: ['public', 'private-a'] });
    expect(batch.status).toBe(200);
    expect(Object.keys(batch.body)).toStrictEqual(['public', 'private-a']);
  });

  it('keeps the deciding rule and reason out of a refusal unless explain is on', async () => {
    const request = { user: { id: '1' }, socketId: '1.1', channel: 'presence-a' };
    const forbidden = { code: 'forbidden', message: 'You may not join presence-a.' };
    expect(await auth().authorizeChannel(request)).toStrictEqual({ status: 403, body: { error: forbidden } });
    expect(await auth({ explain: true }).authorizeChannel(request)).toStrictEqual({
      status: 403,
      body: { error: { ...forbidden, details: { rule: null, reason: 'no rule matches' } } },
    });
  });

  it('tells onGranted each signature, with the user expiry when there is one', async () => {
    const grants: Grant[] = [];
    const channelAuth = auth({ onGranted: (grant) => void grants.push(grant) });
    await channelAuth.authorizeChannel({ user: { id: '1', expiresAt: 1_700_000_000 }, socketId: '1.1', channel: 'private-a' });
    await channelAuth.authenticateUser({ user: { id: '2' }, socketId: '2.2' });
    expect(grants).toStrictEqual([
      { socketId: '1.1', userId: '1', channel: 'private-a', expiresAt: 1_700_000_000 },
      { socketId: '2.2', userId: '2', channel: null },
    ]);
  });

  it('logs what onGranted throws and still answers with the signature', async () => {
    const warnings: unknown[][] = [];
    const ignore = () => undefined;
    const logger: Logger = { debug: ignore, info: ignore, error: ignore, warn: (...args) => void warnings.push(args), child: () => logger };
    const boom = new Error('grant store down');
    const answer = await auth({ logger, onGranted: () => { throw boom; } }).authorizeChannel({ user: { id: '1' }, socketId: '1.1', channel: 'private-a' });
    expect(answer.status).toBe(200);
    expect(warnings).toStrictEqual([[{ err: boom }, 'onGranted failed']]);
  });
});

describe('createSigner', () => {
  it.each(['appId', 'key', 'secret'])('refuses a missing or empty %s', (name) => {
    const message = `${name} is required (or pass pusher: an instance of the pusher SDK).`;
    expect(() => createSigner({ ...APP, [name]: '' })).toThrow(new TypeError(message));
    expect(() => createSigner({ ...APP, [name]: undefined } as unknown as typeof APP)).toThrow(new TypeError(message));
  });

  it('enables encrypted channels only with a master key, from credentials or the SDK instance', () => {
    const masterKey = Buffer.alloc(32, 7).toString('base64');
    expect(createSigner(APP).encryptionEnabled).toBe(false);
    expect(createSigner({ ...APP, encryptionMasterKeyBase64: masterKey }).encryptionEnabled).toBe(true);
    expect(createSigner({ pusher: new Pusher({ ...APP, host: '127.0.0.1' }) }).encryptionEnabled).toBe(false);
    expect(createSigner({ pusher: new Pusher({ ...APP, host: '127.0.0.1', encryptionMasterKeyBase64: masterKey }) }).encryptionEnabled).toBe(true);
  });
});
