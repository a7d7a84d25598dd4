/** Decide, then sign: the policy's decision becomes a signature or a 403 saying why. */
import { performance } from 'node:perf_hooks';
import { HttpError } from '../errors.js';
import type { DecisionLog } from '../policy/decision-log.js';
import { decideJoin, explanation, type JoinDecision, type JoinPolicy } from '../policy/join.js';
import { andThen, type MaybePromise } from '../policy/maybe-async.js';
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

/** The signed answer, or an `HttpError` (403, or 502 when nothing was decided); a promise only for async rules. */
export type ChannelAuthorizer = (user: User, socketId: string, channel: string) => MaybePromise<Record<string, string>>;

export function createChannelAuthorizer({ signer, policy, explain, decisions }: ChannelAuthorizerOptions): ChannelAuthorizer {
  const answer = (socketId: string, channel: string, decision: JoinDecision): Record<string, string> => {
    if (decision.verdict === 'allow') return { ...signer.signChannel(socketId, channel, decision.member) };
    const details = explain ? explanation(decision) : undefined;
    if (decision.verdict === 'deny') throw new HttpError('forbidden', `You may not join ${channel}.`, details);
    throw new HttpError('upstream_error', `Could not decide whether you may join ${channel}.`, details);
  };
  return (user, socketId, channel) => {
    const startedAt = performance.now();
    return andThen(decideJoin(policy, { user, channel, socketId }), (decision) => {
      decisions.channel(user, channel, channelKind(channel), decision, startedAt);
      return answer(socketId, channel, decision);
    });
  };
}
