/**
 * May this user join this channel? Every refusal a join can meet is here: the rules, encrypted
 * channels without a master key, and presence `user_info` over Pusher's limit. No HTTP: callers
 * map the decision to their own answer.
 */
import { channelKind, SERVER_TO_USER_PREFIX, USER_INFO_MAX_BYTES } from '@pusher-auth-server/pusher-core';
import { type ChannelRule, decide, type Decision, type Failure, type Refusal } from './engine.js';
import type { User, UserInfo } from './user.js';

export interface JoinPolicy {
  readonly rules: readonly ChannelRule[];
  readonly encryptionEnabled: boolean;
  /** How long an async rule may take; default 2 s. */
  readonly decisionTimeoutMs?: number;
  /** Decides what no rule matches (AUTHZ_URL); absent, "no rule matches" refuses it. */
  readonly askApp?: (request: JoinRequest) => Promise<Decision>;
}

export interface JoinRequest {
  readonly user: User;
  readonly channel: string;
  /** Absent when no socket asks (`/demo/send`, the console's explain). */
  readonly socketId?: string;
}

/** A presence channel's `channel_data`, as signed: always the verified user. */
export interface PresenceChannelData {
  readonly user_id: string;
  readonly user_info?: UserInfo;
}

export type JoinDecision =
  | { readonly verdict: 'allow'; readonly rule: string; readonly pattern: string; readonly member?: PresenceChannelData }
  | Refusal
  | Failure;

const PUBLIC_RULE = 'public channel';
const SERVER_TO_USER_RULE = `${SERVER_TO_USER_PREFIX}{userId}`;
const ENCRYPTION_OFF = 'encrypted channels are off: no encryption master key is set';

export async function decideJoin(policy: JoinPolicy, request: JoinRequest): Promise<JoinDecision> {
  const { user, channel } = request;
  switch (channelKind(channel)) {
    case 'public':
      return { verdict: 'allow', rule: PUBLIC_RULE, pattern: PUBLIC_RULE }; // anyone may join a public channel
    case 'server-to-user': {
      // Only the signed-in user may subscribe to their own #server-to-user channel.
      const owner = channel.slice(SERVER_TO_USER_PREFIX.length);
      if (owner === user.id) return { verdict: 'allow', rule: SERVER_TO_USER_RULE, pattern: SERVER_TO_USER_RULE };
      const reason = `only user "${owner}" may receive these events`;
      return { verdict: 'deny', rule: SERVER_TO_USER_RULE, pattern: SERVER_TO_USER_RULE, reason };
    }
    case 'private-encrypted': {
      const decision = await byRules(policy, request);
      if (decision.verdict === 'allow' && !policy.encryptionEnabled) return { ...decision, verdict: 'deny', reason: ENCRYPTION_OFF };
      return decision;
    }
    case 'presence': {
      const decision = await byRules(policy, request);
      if (decision.verdict !== 'allow') return decision;
      const member = presenceMember(user);
      if (member) return { ...decision, member };
      return { ...decision, verdict: 'deny', reason: `user_info is over ${USER_INFO_MAX_BYTES} bytes` };
    }
    case 'private':
      return byRules(policy, request);
  }
}

async function byRules(policy: JoinPolicy, request: JoinRequest): Promise<Decision> {
  const decided = await decide(policy.rules, request.user, request.channel, policy.decisionTimeoutMs);
  const { askApp } = policy;
  return askApp && decided.verdict === 'deny' && decided.rule === null ? askApp(request) : decided;
}

/** `undefined` when the user's info is over Pusher's limit. */
function presenceMember(user: User): PresenceChannelData | undefined {
  if (user.info === undefined) return { user_id: user.id };
  if (Buffer.byteLength(JSON.stringify(user.info)) > USER_INFO_MAX_BYTES) return undefined;
  return { user_id: user.id, user_info: user.info };
}
