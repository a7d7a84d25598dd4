/** POST /demo/login: a token issuer for the demo (any valid id), not an identity source of its own. */
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '@pusher-auth-server/channel-auth/http';
import { validate } from '@pusher-auth-server/channel-auth/http';
import { DEMO_TOKEN_SECONDS, issueDemoToken } from './jwt.js';
import { userIdSchema } from './user.js';

/** A demo token may be made short-lived, to watch the connection close when it expires (4200). */
const MIN_LIFETIME_SECONDS = 10;
const LIFETIME_RULE = `must be a whole number of seconds, ${MIN_LIFETIME_SECONDS}..${DEMO_TOKEN_SECONDS}`;

const loginSchema = z.object({
  user_id: userIdSchema,
  name: z.string().trim().min(1).max(100).optional(),
  expires_in: z.number({ message: LIFETIME_RULE }).int(LIFETIME_RULE).min(MIN_LIFETIME_SECONDS, LIFETIME_RULE).max(DEMO_TOKEN_SECONDS, LIFETIME_RULE).optional(),
});

export interface DemoLoginDeps {
  readonly jwt: { secret: string; issuer: string | undefined; audience: string | undefined };
  readonly clock: () => number;
}

export function demoLoginRoutes({ jwt, clock }: DemoLoginDeps): Router {
  const router = Router();
  router.post('/demo/login', ...parseBody({ limit: '1kb' }), async (req, res) => {
    const { user_id, name, expires_in: lifetime = DEMO_TOKEN_SECONDS } = validate(loginSchema, req.body);
    const now = clock();
    const token = await issueDemoToken(jwt, { id: user_id, ...(name ? { name } : {}) }, now, lifetime);
    res.json({ token, user: { id: user_id, info: name ? { name } : {} }, expires_at: Math.floor(now / 1000) + lifetime });
  });
  return router;
}
