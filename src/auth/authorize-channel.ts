/** The heart: may this verified user join this channel? If so, sign; if not, say why. */
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import { decide, type ChannelRule, type Decision } from '../policy/engine.js';
import { USER_INFO_MAX_BYTES } from '../pusher/limits.js';
import { channelKind, type ChannelKind } from '../pusher/names.js';
import type { PresenceMember, Signer } from './signer.js';
import type { User } from './user.js';


export interface AuthDecisionEvent {
  readonly kind: ChannelKind;
  readonly verdict: 'allow' | 'deny';
  /** The deciding rule's fixed pattern (never a user-supplied glob), or null when none matched. */
  readonly rule: string | null;
}

export interface ChannelAuthorizerOptions {
  readonly signer: Signer;
  readonly rules: readonly ChannelRule[];
  /** Put the deciding rule and reason into 403 bodies (AUTH_EXPLAIN). */
  readonly explain: boolean;
  readonly logger: Logger;
  readonly onDecision?: (event: AuthDecisionEvent) => void;
}

export type ChannelAuthorizer = (user: User, socketId: string, channel: string) => Record<string, string>;

export const ENCRYPTION_OFF = 'encrypted channels are off: no PUSHER_ENCRYPTION_MASTER_KEY_BASE64';

/** May this user join this channel? The policy's answer, and no encrypted channel without a key. */
export function joinDecision(rules: readonly ChannelRule[], encryptionEnabled: boolean, user: User, channel: string): Decision {
  const decision = decide(rules, user, channel);
  if (decision.allow && !encryptionEnabled && channelKind(channel) === 'private-encrypted') {
    return { ...decision, allow: false, reason: ENCRYPTION_OFF };
  }
  return decision;
}

export function createChannelAuthorizer(options: ChannelAuthorizerOptions): ChannelAuthorizer {
  const { signer, rules, explain, logger, onDecision } = options;

  const deny = (user: User, channel: string, kind: ChannelKind, decision: Decision, reason: string) => {
    const { rule, pattern } = decision;
    logger.info({ userId: user.id, channel, rule, verdict: 'deny', reason }, 'channel authorization');
    onDecision?.({ kind, verdict: 'deny', rule: pattern });
    return new HttpError('forbidden', `You may not join ${channel}.`, explain ? { rule, reason } : undefined);
  };

  return (user, socketId, channel) => {
    const kind = channelKind(channel);
    const decision = joinDecision(rules, signer.encryptionEnabled, user, channel);
    if (!decision.allow) throw deny(user, channel, kind, decision, decision.reason);
    let member: PresenceMember | undefined;
    if (kind === 'presence') {
      member = presenceMember(user);
      if (!member) throw deny(user, channel, kind, decision, `user_info is over ${USER_INFO_MAX_BYTES} bytes`);
    }
    logger.info({ userId: user.id, channel, rule: decision.rule, verdict: 'allow' }, 'channel authorization');
    onDecision?.({ kind, verdict: 'allow', rule: decision.pattern });
    return { ...signer.authorizeChannel(socketId, channel, member) };
  };
}

/** The member is always the verified user; `undefined` when its info is over Pusher's limit. */
function presenceMember(user: User): PresenceMember | undefined {
  if (user.info === undefined) return { user_id: user.id };
  if (Buffer.byteLength(JSON.stringify(user.info)) > USER_INFO_MAX_BYTES) return undefined;
  return { user_id: user.id, user_info: user.info };
}
