/** POST /demo/login: a token issuer for the demo (any valid id), not an identity source of its own. */
import { Router } from 'express';
import { z } from 'zod';
import { parseBody } from '@pusher-auth-server/channel-auth/http';
import { validate } from '@pusher-auth-server/channel-auth/http';
import { issueDemoToken } from './jwt.js';
import { userIdSchema } from './user.js';

const loginSchema = z.object({
  user_id: userIdSchema,
  name: z.string().trim().min(1).max(100).optional(),
});

export interface DemoLoginDeps {
  readonly jwt: { secret: string; issuer: string | undefined; audience: string | undefined };
  readonly clock: () => number;
}

export function demoLoginRoutes({ jwt, clock }: DemoLoginDeps): Router {
  const router = Router();
  router.post('/demo/login', ...parseBody({ limit: '1kb' }), async (req, res) => {
    const { user_id, name } = validate(loginSchema, req.body);
    const token = await issueDemoToken(jwt, { id: user_id, ...(name ? { name } : {}) }, clock());
    res.json({ token, user: { id: user_id, info: name ? { name } : {} } });
  });
  return router;
}
