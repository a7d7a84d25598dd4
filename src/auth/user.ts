/** Builds the verified user from the claims of a verified source (a JWT, an IDENTITY_URL answer). */
import { z } from 'zod';
import type { User } from '@pusher-auth-server/channel-auth';
import { exceedsJsonDepth, isValidUserId, MAX_JSON_DEPTH, USER_ID_RULE } from '@pusher-auth-server/pusher-core';

export const userIdSchema = z.string({ message: 'is required, as a string' }).refine(isValidUserId, { message: USER_ID_RULE });

/** The claims or JSON fields an identity source may carry (JWT claims, IDENTITY_URL answers). */
export const identityClaimsSchema = z.object({
  id: userIdSchema,
  // Signing re-serializes it: nesting deeper than this would overflow the stack (a 500, not a refusal).
  user_info: z
    .record(z.string(), z.unknown())
    .refine((info) => !exceedsJsonDepth(info), { message: `must not nest more than ${MAX_JSON_DEPTH} levels` })
    .optional(),
  name: z.string().min(1).max(200).optional(),
  channels: z.array(z.string().min(1).max(200)).max(100).optional(),
  /** When the credentials expire, in seconds since the epoch (a JWT's `exp`); zod refuses NaN and infinities. */
  expiresAt: z.number({ message: 'must be a finite number of seconds since the epoch' }).optional(),
});

export type IdentityClaims = z.infer<typeof identityClaimsSchema>;

/** `user_info` comes from the `user_info` claim, else `{name}`, else it is omitted (docs/design.md#user-info). */
export function userFromClaims(claims: IdentityClaims): User {
  const info = claims.user_info ?? (claims.name === undefined ? undefined : { name: claims.name });
  return Object.freeze({
    id: claims.id,
    ...(info === undefined ? {} : { info: Object.freeze({ ...info }) }),
    channels: Object.freeze([...(claims.channels ?? [])]),
    ...(claims.expiresAt === undefined ? {} : { expiresAt: claims.expiresAt }),
  });
}
