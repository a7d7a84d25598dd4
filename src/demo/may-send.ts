/** May this demo user publish to this channel? Exactly when the policy lets them join it (DESIGN 9.10). */
import { joinDecision } from '../auth/authorize-channel.js';
import type { User } from '../auth/user.js';
import type { ChannelRule, Decision } from '../policy/engine.js';
import { channelKind, SERVER_TO_USER_PREFIX } from '../pusher/names.js';

export const PUBLIC_RULE = 'public channel';
export const SERVER_TO_USER_RULE = `${SERVER_TO_USER_PREFIX}{userId}`;

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
    default:
      return joinDecision(policy.rules, policy.encryptionEnabled, user, channel);
  }
}
