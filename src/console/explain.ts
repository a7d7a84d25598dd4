/** POST /console/explain: what would the real rules decide for this user and channel? Nothing is signed. */
import type { ChannelAuth, Explanation, User } from '@pusher-auth-server/channel-auth';
import { channelNameProblem, refusalError, validate } from '@pusher-auth-server/channel-auth/http';
import { z } from 'zod';
import { identityClaimsSchema, userFromClaims } from '../auth/user.js';

/** The policy's decision for a user and channel, as the auth routes would reach it, without signing. */
export type Explain = (user: User, channel: string) => Promise<Exclude<Explanation, { failed: true }>>;

// The same field rules as a verified identity's claims: the "what if" user is one the server could see.
const { id, user_info, channels } = identityClaimsSchema.shape;
const explainSchema = z.object({
  user: z.object({ id, info: user_info, channels }),
  channel: z.string({ message: 'is required, as a string' }).superRefine((name, ctx) => {
    const problem = channelNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
});

export function readExplainRequest(body: unknown): { user: User; channel: string } {
  const { user, channel } = validate(explainSchema, body);
  return { user: userFromClaims({ id: user.id, user_info: user.info, channels: user.channels }), channel };
}

/**
 * The join decision itself (rules, async ones, AUTHZ_URL), asked without a socket and never
 * reported as a decision. A rule or AUTHZ_URL that fails is a 502, as it would be on /pusher/auth.
 */
export function createExplain(channelAuth: ChannelAuth): Explain {
  return async (user, channel) => {
    const verdict = await channelAuth.explain({ user, channel });
    if (!('failed' in verdict)) return verdict;
    throw refusalError(verdict, `join ${channel}`, true, `user ${user.id}`);
  };
}
