/** Decide, then sign: the policy's decision becomes a signature or a 403 saying why. */
import { performance } from 'node:perf_hooks';
import { HttpError } from '../errors.js';
import type { DecisionLog } from '../policy/decision-log.js';
import { decideJoin, type JoinPolicy } from '../policy/join.js';
import type { User } from '../policy/user.js';
import { channelKind } from '../pusher/names.js';
import type { Signer } from './signer.js';

export interface ChannelAuthorizerOptions {
  readonly signer: Signer;
  readonly policy: JoinPolicy;
  /** Put the deciding rule and reason into 403 bodies (AUTH_EXPLAIN). */
  readonly explain: boolean;
  readonly decisions: DecisionLog;
}

export type ChannelAuthorizer = (user: User, socketId: string, channel: string) => Record<string, string>;

export function createChannelAuthorizer({ signer, policy, explain, decisions }: ChannelAuthorizerOptions): ChannelAuthorizer {
  return (user, socketId, channel) => {
    const startedAt = performance.now();
    const decision = decideJoin(policy, user, channel);
    decisions.channel(user, channel, channelKind(channel), decision, startedAt);
    if (decision.verdict !== 'allow') {
      const details = explain ? { rule: decision.rule, reason: decision.reason } : undefined;
      throw new HttpError('forbidden', `You may not join ${channel}.`, details);
    }
    return { ...signer.signChannel(socketId, channel, decision.member) };
  };
}
