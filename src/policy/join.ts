/**
 * May this user join this channel? Every refusal a join can meet is here: the rules of
 * src/channels.ts, encrypted channels without a master key, and presence `user_info` over
 * Pusher's limit. No HTTP: callers map the decision to their own answer.
 */
import { USER_INFO_MAX_BYTES } from '../pusher/limits.js';
import { channelKind, SERVER_TO_USER_PREFIX } from '../pusher/names.js';
import { decide, type ChannelRule, type Refusal } from './engine.js';
import type { User, UserInfo } from './user.js';

export interface JoinPolicy {
  readonly rules: readonly ChannelRule[];
  readonly encryptionEnabled: boolean;
}

/** A presence channel's `channel_data`, as signed: always the verified user. */
export interface PresenceChannelData {
  readonly user_id: string;
  readonly user_info?: UserInfo;
}

export type JoinDecision =
  | { readonly verdict: 'allow'; readonly rule: string; readonly pattern: string; readonly member?: PresenceChannelData }
  | Refusal;

const PUBLIC_RULE = 'public channel';
const SERVER_TO_USER_RULE = `${SERVER_TO_USER_PREFIX}{userId}`;
const ENCRYPTION_OFF = 'encrypted channels are off: no PUSHER_ENCRYPTION_MASTER_KEY_BASE64';

export function decideJoin(policy: JoinPolicy, user: User, channel: string): JoinDecision {
  switch (channelKind(channel)) {
    case 'public':
      return { verdict: 'allow', rule: PUBLIC_RULE, pattern: PUBLIC_RULE }; // anyone may join a public channel
    case 'server-to-user': {
      // Only the signed-in user may subscribe to their own #server-to-user channel (DESIGN 9.8).
      const owner = channel.slice(SERVER_TO_USER_PREFIX.length);
      if (owner === user.id) return { verdict: 'allow', rule: SERVER_TO_USER_RULE, pattern: SERVER_TO_USER_RULE };
      const reason = `only user "${owner}" may receive these events`;
      return { verdict: 'deny', rule: SERVER_TO_USER_RULE, pattern: SERVER_TO_USER_RULE, reason };
    }
    case 'private-encrypted': {
      const decision = decide(policy.rules, user, channel);
      if (decision.verdict === 'allow' && !policy.encryptionEnabled) return { ...decision, verdict: 'deny', reason: ENCRYPTION_OFF };
      return decision;
    }
    case 'presence': {
      const decision = decide(policy.rules, user, channel);
      if (decision.verdict !== 'allow') return decision;
      const member = presenceMember(user);
      if (member) return { ...decision, member };
      return { ...decision, verdict: 'deny', reason: `user_info is over ${USER_INFO_MAX_BYTES} bytes` };
    }
    case 'private':
      return decide(policy.rules, user, channel);
  }
}

/** `undefined` when the user's info is over Pusher's limit. */
function presenceMember(user: User): PresenceChannelData | undefined {
  if (user.info === undefined) return { user_id: user.id };
  if (Buffer.byteLength(JSON.stringify(user.info)) > USER_INFO_MAX_BYTES) return undefined;
  return { user_id: user.id, user_info: user.info };
}
