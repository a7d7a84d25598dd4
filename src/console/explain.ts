/** POST /console/explain: what would the real rules decide for this user and channel? Nothing is signed. */
import { z } from 'zod';
import { channelNameProblem } from '../auth/auth-request.js';
import { identityClaimsSchema, userFromClaims } from '../auth/user.js';
import { HttpError } from '../errors.js';
import { validate } from '../http/validate.js';
import { decideJoin, explanation, type JoinPolicy } from '../policy/join.js';
import type { User } from '../policy/user.js';

export type Explanation =
  | { readonly allow: true; readonly rule: string }
  | { readonly allow: false; readonly rule: string | null; readonly reason: string };

/** The policy's decision for a user and channel, as the auth routes would reach it, without signing. */
export type Explain = (user: User, channel: string) => Promise<Explanation>;

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
export function createExplain(policy: JoinPolicy): Explain {
  return async (user, channel) => {
    const decision = await decideJoin(policy, { user, channel });
    if (decision.verdict === 'allow') return { allow: true, rule: decision.rule };
    if (decision.verdict === 'deny') return { allow: false, rule: decision.rule, reason: decision.reason };
    throw new HttpError('upstream_error', `Could not decide whether user ${user.id} may join ${channel}.`, explanation(decision));
  };
}
