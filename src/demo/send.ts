/** POST /demo/send: publish as the demo user, to any channel the same policy lets them join (docs/design.md#demo-routes). */
import { Router } from 'express';
import { z } from 'zod';
import type { Identify } from '../auth/identify.js';
import type { ChannelAuth } from '@pusher-auth-server/channel-auth';
import { parseBody, refusalError, validate } from '@pusher-auth-server/channel-auth/http';
import { channelKind, CHANNEL_NAME_RULE, exceedsJsonDepth, isPublishableChannel, SERVER_TO_USER_PREFIX } from '@pusher-auth-server/pusher-core';
import type { Publisher } from '../trigger/publisher.js';
import { assertDataSize, DEPTH_PROBLEM, eventName } from '../trigger/schema.js';

const sendSchema = z.object({
  channel: z.string({ message: 'is required, as a string' }).refine((name) => isPublishableChannel(name), {
    message: `${CHANNEL_NAME_RULE} (or #server-to-user-<id>)`,
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
  readonly channelAuth: ChannelAuth;
  /** Put the deciding rule and reason into 403 bodies (AUTH_EXPLAIN), as /pusher/auth does. */
  readonly explain: boolean;
}

export function demoSendRoutes({ identify, publisher, channelAuth, explain }: DemoSendDeps): Router {
  const router = Router();
  router.post('/demo/send', ...parseBody({ limit: '64kb' }), async (req, res) => {
    const { channel, event, data } = validate(sendSchema, req.body);
    assertDataSize([{ field: 'data', channel, data }]); // 413, by /trigger's own rule
    const user = await identify(req.headers);
    const verdict = await channelAuth.explain({ user, channel });
    if (!verdict.allow) throw refusalError(verdict, `send to ${channel}`, explain);
    if (channelKind(channel) === 'server-to-user') {
      await publisher.sendToUser(channel.slice(SERVER_TO_USER_PREFIX.length), event, data);
    } else {
      await publisher.publish({ channels: [channel], event, data });
    }
    res.json({ ok: true });
  });
  return router;
}
