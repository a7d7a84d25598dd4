/** May this demo user publish to this channel? Exactly when the policy lets them join it (DESIGN 9.10). */
import type { User } from '../auth/user.js';
import { decide, type ChannelRule, type Decision } from '../policy/engine.js';
import { channelKind, SERVER_TO_USER_PREFIX } from '../pusher/names.js';

export const PUBLIC_RULE = 'public channel';
export const SERVER_TO_USER_RULE = `${SERVER_TO_USER_PREFIX}{userId}`;
export const ENCRYPTION_OFF = 'encrypted channels are off: no PUSHER_ENCRYPTION_MASTER_KEY_BASE64';

export interface SendPolicy {
  readonly rules: readonly ChannelRule[];
  readonly encryptionEnabled: boolean;
}

export function maySend(policy: SendPolicy, user: User, channel: string): Decision {
  switch (channelKind(channel)) {
    case 'public':
      return { allow: true, rule: PUBLIC_RULE, pattern: PUBLIC_RULE }; // anyone may join a public channel
    case 'server-to-user': {
      // Only the signed-in user may subscribe to their own #server-to-user channel (DESIGN 9.8).
      const owner = channel.slice(SERVER_TO_USER_PREFIX.length);
      if (owner === user.id) return { allow: true, rule: SERVER_TO_USER_RULE, pattern: SERVER_TO_USER_RULE };
      const reason = `only user "${owner}" may receive these events`;
      return { allow: false, rule: SERVER_TO_USER_RULE, pattern: SERVER_TO_USER_RULE, reason };
    }
    case 'private-encrypted': {
      const decision = decide(policy.rules, user, channel);
      return decision.allow && !policy.encryptionEnabled ? { ...decision, allow: false, reason: ENCRYPTION_OFF } : decision;
    }
    default:
      return decide(policy.rules, user, channel);
  }
}
