/**
 * `@pusher-auth-server/channel-auth`: decide who may join which Pusher channel, inside your app,
 * then sign with the official `pusher` SDK.
 *
 *   app.use(pusherAuth({
 *     appId, key, secret,
 *     user: (req) => req.user && { id: String(req.user.id) },
 *     rules: [channel('private-user-{userId}', ({ user, params }) => params.userId === user.id || 'not yours')],
 *   }));
 */
export { pusherAuth, type PusherAuthOptions } from './express/pusher-auth.js';
export { PUSHER_AUTH_PATHS } from './http/auth-route.js';
export { createChannelAuth, type ChannelAuth, type ChannelAuthOptions, type Grant, type MaybeUser } from './core.js';
export type { AuthAnswer, Explanation } from './answers.js';
export {
  channel,
  claimedChannels,
  DECISION_TIMEOUT_MS,
  NO_RULE_MATCHES,
  type ChannelRule,
  type RuleContext,
  type RuleVerdict,
} from './policy/engine.js';
export type { PatternParams } from './policy/pattern.js';
export type { AppUser, User, UserInfo } from './policy/user.js';
export type { DecisionEvent, DecisionObserver } from './policy/decision-log.js';
export type { SigningOptions } from './signer.js';
export type { Logger } from '@pusher-auth-server/pusher-core';
