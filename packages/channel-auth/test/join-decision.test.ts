/**
 * decideJoin's own refusals, beside the rules: encrypted channels without a master key, presence
 * `user_info` at Pusher's 1 KB limit, and when AUTHZ_URL is asked. Found by mutation testing:
 * each case here failed to be caught before a mutation run found it.
 */
import { describe, expect, it } from 'vitest';
import { channel, type ChannelRule } from '../src/policy/engine.js';
import { refusalError, refusalOf } from '../src/answers.js';
import type { Failure, Refusal } from '../src/policy/engine.js';
import { decideJoin, type JoinPolicy, type JoinRequest } from '../src/policy/join.js';
import type { User } from '../src/policy/user.js';

const ownerOnly = (owner: string, userId: string) => owner === userId || `only user "${owner}" may join this channel`;
const channelRules: ChannelRule[] = [
  channel('private-encrypted-user-{userId}', ({ user, params }) => ownerOnly(params.userId, user.id)),
  channel('private-user-{userId}', ({ user, params }) => ownerOnly(params.userId, user.id)),
  channel('presence-{room}', () => true),
];

const ada: User = { id: '1', channels: [] };
const policy = (encryptionEnabled: boolean, extra: Partial<JoinPolicy> = {}): JoinPolicy => ({ rules: channelRules, encryptionEnabled, ...extra });
const ENCRYPTION_OFF = 'encrypted channels are off: no encryption master key is set';
const ENCRYPTED_RULE = 'private-encrypted-user-{userId}';

/** `{"k":"xxx…"}` of exactly `bytes` bytes once serialized. */
const infoOfBytes = (bytes: number) => ({ k: 'x'.repeat(bytes - '{"k":""}'.length) });

describe('channels no rule decides', () => {
  it('a public channel: anyone may join', async () => {
    expect(await decideJoin(policy(true), { user: ada, channel: 'news' })).toStrictEqual({ verdict: 'allow', rule: 'public channel', pattern: 'public channel' });
  });

  it('#server-to-user-<id>: only that user', async () => {
    const rule = '#server-to-user-{userId}';
    expect(await decideJoin(policy(true), { user: ada, channel: '#server-to-user-1' })).toStrictEqual({ verdict: 'allow', rule, pattern: rule });
    expect(await decideJoin(policy(true), { user: ada, channel: '#server-to-user-10' })).toStrictEqual({
      verdict: 'deny',
      rule,
      pattern: rule,
      reason: 'only user "10" may receive these events',
    });
  });
});

describe('private-encrypted channels', () => {
  it('are refused, naming the missing key, when encryption is off, though the rule allows', async () => {
    expect(await decideJoin(policy(false), { user: ada, channel: 'private-encrypted-user-1' })).toStrictEqual({
      verdict: 'deny',
      rule: ENCRYPTED_RULE,
      pattern: ENCRYPTED_RULE,
      reason: ENCRYPTION_OFF,
    });
  });

  it('keep the rule\'s own refusal when the rule refuses', async () => {
    expect(await decideJoin(policy(false), { user: ada, channel: 'private-encrypted-user-2' })).toStrictEqual({
      verdict: 'deny',
      rule: ENCRYPTED_RULE,
      pattern: ENCRYPTED_RULE,
      reason: 'only user "2" may join this channel',
    });
  });

  it('are allowed by the rule when encryption is on', async () => {
    expect(await decideJoin(policy(true), { user: ada, channel: 'private-encrypted-user-1' })).toStrictEqual({
      verdict: 'allow',
      rule: ENCRYPTED_RULE,
      pattern: ENCRYPTED_RULE,
    });
  });
});

describe('presence members', () => {
  it('carry user_info of exactly 1,024 bytes', async () => {
    const user: User = { ...ada, info: infoOfBytes(1024) };
    expect(await decideJoin(policy(true), { user, channel: 'presence-lobby' })).toStrictEqual({
      verdict: 'allow',
      rule: 'presence-{room}',
      pattern: 'presence-{room}',
      member: { user_id: '1', user_info: user.info },
    });
  });

  it('are refused at 1,025 bytes', async () => {
    const user: User = { ...ada, info: infoOfBytes(1025) };
    expect(await decideJoin(policy(true), { user, channel: 'presence-lobby' })).toStrictEqual({
      verdict: 'deny',
      rule: 'presence-{room}',
      pattern: 'presence-{room}',
      reason: 'user_info is over 1024 bytes',
    });
  });

  it('are not made for a presence channel the rules refuse', async () => {
    const closed = [channel('presence-{room}', () => 'the room is closed')];
    expect(await decideJoin({ rules: closed, encryptionEnabled: true }, { user: ada, channel: 'presence-lobby' })).toStrictEqual({
      verdict: 'deny',
      rule: 'presence-{room}',
      pattern: 'presence-{room}',
      reason: 'the room is closed',
    });
  });
});

describe('the app (AUTHZ_URL) is asked', () => {
  it('only about what no rule matches', async () => {
    const asked: string[] = [];
    const askApp = (request: JoinRequest) => {
      asked.push(request.channel);
      return Promise.resolve({ verdict: 'allow', rule: 'AUTHZ_URL', pattern: 'AUTHZ_URL' } as const);
    };
    const withApp = policy(true, { askApp });
    expect(await decideJoin(withApp, { user: ada, channel: 'private-user-1' })).toMatchObject({ verdict: 'allow', rule: 'private-user-{userId}' });
    expect(await decideJoin(withApp, { user: ada, channel: 'private-user-2' })).toMatchObject({ verdict: 'deny', rule: 'private-user-{userId}' });
    expect(await decideJoin(withApp, { user: ada, channel: 'private-elsewhere' })).toMatchObject({ verdict: 'allow', rule: 'AUTHZ_URL' });
    expect(asked).toEqual(['private-elsewhere']);
  });
});

describe('a rule that answers neither true nor a reason', () => {
  it.each([false, 1, null, undefined])('(%s) decided nothing: an error, never an allow', async (answer) => {
    const odd = [channel('private-{x}', () => answer as unknown as true)];
    expect(await decideJoin({ rules: odd, encryptionEnabled: true }, { user: ada, channel: 'private-a' })).toStrictEqual({
      verdict: 'error',
      rule: 'private-{x}',
      pattern: 'private-{x}',
      reason: 'answered neither true nor a reason',
      cause: answer,
    });
  });
});

describe('the details of a refusal', () => {
  it('are the rule and reason, and the status only of a failure that has one', async () => {
    const details = (decision: Refusal | Failure) => refusalError(refusalOf(decision), 'join x', true).details;
    expect(details({ verdict: 'deny', rule: 'r', pattern: 'r', reason: 'no' })).toStrictEqual({ rule: 'r', reason: 'no' });
    expect(details({ verdict: 'error', rule: 'AUTHZ_URL', pattern: 'AUTHZ_URL', reason: 'answered 500', status: 500 })).toStrictEqual({
      rule: 'AUTHZ_URL',
      reason: 'answered 500',
      status: 500,
    });
    expect(details({ verdict: 'error', rule: null, pattern: null, reason: 'failed' })).toStrictEqual({ rule: null, reason: 'failed' });
  });

  it('an explanation of a failure carries a status only when the failure has one', () => {
    expect(refusalOf({ verdict: 'error', rule: 'r', pattern: 'r', reason: 'failed' })).toStrictEqual({ allow: false, failed: true, rule: 'r', reason: 'failed' });
  });

  it('are left out unless explaining is on', () => {
    expect(refusalError(refusalOf({ verdict: 'deny', rule: 'r', pattern: 'r', reason: 'no' }), 'join x', false).details).toBeUndefined();
  });
});
