import { describe, expect, it } from 'vitest';
import { createChannelAuth, NO_RULE_MATCHES } from '@pusher-auth-server/channel-auth';
import { channelNameProblem } from '@pusher-auth-server/channel-auth/http';
import { userFromClaims } from '../../src/auth/user.js';
import { channelRules } from '../../src/channels.js';

const user = (id: string, channels: string[] = []) => userFromClaims({ id, channels });
const u1 = user('1');
const u2 = user('2');
const team = user('7', ['presence-team-7', 'private-doc-*']);
const dotted = user('a.b@c');

// [user, channel, allowed, deciding rule]
const table: Array<[string, ReturnType<typeof user>, string, boolean, string | null]> = [
  ['1', u1, 'private-user-1', true, 'private-user-{userId}'],
  ['1', u1, 'private-user-2', false, 'private-user-{userId}'],
  ['2', u2, 'private-user-2', true, 'private-user-{userId}'],
  ['2', u2, 'private-user-1', false, 'private-user-{userId}'],
  ['1', u1, 'private-user-01', false, 'private-user-{userId}'],
  ['1', u1, 'private-user-1,private-user-2', false, 'private-user-{userId}'],
  ['1', u1, 'private-user-1;x', false, 'private-user-{userId}'],
  ['1', u1, 'private-user-1.2', false, 'private-user-{userId}'],
  ['1', u1, 'private-user-', false, null],
  ['1', u1, 'private-user-1-evil', false, 'private-user-{userId}'],
  ['1', u1, 'private-encrypted-user-1', true, 'private-encrypted-user-{userId}'],
  ['1', u1, 'private-encrypted-user-2', false, 'private-encrypted-user-{userId}'],
  ['1', u1, 'presence-lobby', true, 'presence-{room}'],
  ['2', u2, 'presence-team-7', true, 'presence-{room}'],
  ['7', team, 'private-doc-42', true, 'private-doc-*'],
  ['1', u1, 'private-doc-42', false, null],
  ['7', team, 'private-docs', false, null],
  ['1', u1, 'private-orders', false, null],
  ['a.b@c', dotted, 'private-user-a.b@c', true, 'private-user-{userId}'],
  ['1', u1, 'private-user-a.b@c', false, 'private-user-{userId}'],
];

const encryptionMasterKeyBase64 = Buffer.alloc(32, 7).toString('base64');
const policy = createChannelAuth({ appId: '1', key: 'key', secret: 'secret', encryptionMasterKeyBase64, rules: channelRules });

describe('channel policy', () => {
  it.each(table)('user %s on %s', async (_id, who, channel, allowed, rule) => {
    const decision = await policy.explain({ user: who, channel });
    expect(decision.allow).toBe(allowed);
    expect(decision.rule).toBe(rule);
    if (!decision.allow && rule === null) expect(decision.reason).toBe(NO_RULE_MATCHES);
    if (!decision.allow && rule !== null) expect(decision.reason).toMatch(/^only user ".+" may join this channel$/);
  });
});

describe('names built to trick a matcher never reach the policy', () => {
  it.each([
    ['private-user-1 ', 'trailing space'],
    ['private-user-1\n', 'newline'],
    [`private-user-${'1'.repeat(152)}`, '165 characters'],
    ['private-usér-1', 'non-ASCII'],
    ['#server-to-user-1', 'reserved #'],
    ['public-news', 'public'],
    ['', 'empty'],
  ])('%j (%s)', (name) => {
    expect(channelNameProblem(name)).toBeTypeOf('string');
  });

  it('accepts exactly 164 characters', () => {
    const name = `private-user-${'1'.repeat(151)}`;
    expect(name).toHaveLength(164);
    expect(channelNameProblem(name)).toBeUndefined();
  });
});
