/** POST /console/explain: what would the real rules decide for this user and channel? Nothing is signed. */
import { z } from 'zod';
import { channelNameProblem } from '../auth/auth-request.js';
import { identityClaimsSchema, userFromClaims, type User } from '../auth/user.js';
import { validate } from '../http/validate.js';
import type { Decision } from '../policy/engine.js';

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

export function explanationOf(decision: Decision): Explanation {
  return decision.allow
    ? { allow: true, rule: decision.rule }
    : { allow: false, rule: decision.rule, reason: decision.reason };
}
