/** POST /demo/send: publish as the demo user, to any channel the same policy lets them join (DESIGN 9.10). */
import { Router } from 'express';
import { z } from 'zod';
import type { Identify } from '../auth/identify.js';
import { HttpError } from '../errors.js';
import { parseBody } from '../http/body.js';
import { decideJoin, explanation, type JoinPolicy } from '../policy/join.js';
import { validate } from '../http/validate.js';
import { exceedsJsonDepth } from '../pusher/json.js';
import { channelKind, isPublishableChannel, SERVER_TO_USER_PREFIX } from '../pusher/names.js';
import type { Publisher } from '../trigger/publisher.js';
import { assertDataSize, DEPTH_PROBLEM, eventName } from '../trigger/schema.js';

const sendSchema = z.object({
  channel: z.string({ message: 'is required, as a string' }).refine((name) => isPublishableChannel(name), {
    message: 'must be 1..164 characters of A-Z a-z 0-9 _ - = @ , . ; (or #server-to-user-<id>)',
  }),
  event: eventName,
  data: z
    .unknown()
    .refine((data) => data !== undefined, { message: 'is required' })
    .refine((data) => !exceedsJsonDepth(data), { message: DEPTH_PROBLEM }),
});

export interface DemoSendDeps {
  readonly identify: Identify;
  readonly publisher: Publisher;
  readonly policy: JoinPolicy;
  /** Put the deciding rule and reason into 403 bodies (AUTH_EXPLAIN), as /pusher/auth does. */
  readonly explain: boolean;
}

export function demoSendRoutes({ identify, publisher, policy, explain }: DemoSendDeps): Router {
  const router = Router();
  router.post('/demo/send', ...parseBody({ limit: '64kb' }), async (req, res) => {
    const { channel, event, data } = validate(sendSchema, req.body);
    assertDataSize([{ field: 'data', channel, data }]); // 413, by /trigger's own rule (DESIGN 9.1)
    const user = await identify(req.headers);
    const decision = await decideJoin(policy, { user, channel });
    if (decision.verdict !== 'allow') {
      const details = explain ? explanation(decision) : undefined;
      if (decision.verdict === 'deny') throw new HttpError('forbidden', `You may not send to ${channel}.`, details);
      throw new HttpError('upstream_error', `Could not decide whether you may send to ${channel}.`, details);
    }
    if (channelKind(channel) === 'server-to-user') {
      await publisher.sendToUser(channel.slice(SERVER_TO_USER_PREFIX.length), event, data);
    } else {
      await publisher.publish({ channels: [channel], event, data });
    }
    res.json({ ok: true });
  });
  return router;
}
