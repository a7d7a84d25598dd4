/**
 * The demo's "take access back": DELETE /demo/rooms/:roomId/members/:userId changes the app's data
 * (src/demo/rooms.ts), then closes that user's connections, exactly as POST /users/:userId/terminate
 * does; PUT adds the member again. Any signed-in demo user may call them: it is a demo.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Identify } from '../auth/identify.js';
import { userIdSchema } from '../auth/user.js';
import { HttpError } from '../errors.js';
import { validate } from '@pusher-auth-server/channel-auth/http';
import { CHANNEL_NAME_RULE, isValidChannelName } from '@pusher-auth-server/pusher-core';
import type { TerminateUser } from '../users/terminator.js';
import { MAX_MEMBERSHIPS, type Rooms } from './rooms.js';

const ROOM_CHANNEL_PREFIX = 'private-room-';

const paramsSchema = z.object({
  roomId: z.string().refine((id) => isValidChannelName(`${ROOM_CHANNEL_PREFIX}${id}`), {
    message: `must make ${ROOM_CHANNEL_PREFIX}<roomId> a valid channel name: the name ${CHANNEL_NAME_RULE}`,
  }),
  userId: userIdSchema,
});

export interface DemoRoomDeps {
  readonly identify: Identify;
  readonly rooms: Rooms;
  readonly terminate: TerminateUser;
}

export function demoRoomRoutes({ identify, rooms, terminate }: DemoRoomDeps): Router {
  const router = Router();
  const path = '/demo/rooms/:roomId/members/:userId';

  router.delete(path, async (req, res) => {
    await identify(req.headers);
    const { roomId, userId } = validate(paramsSchema, req.params);
    rooms.remove(roomId, userId);
    // The data says no now; closing the connections makes every channel be authorized again.
    await terminate(userId);
    res.json({ ok: true });
  });

  router.put(path, async (req, res) => {
    await identify(req.headers);
    const { roomId, userId } = validate(paramsSchema, req.params);
    if (!rooms.add(roomId, userId)) {
      throw new HttpError('invalid_request', `The demo's room data holds at most ${MAX_MEMBERSHIPS} memberships.`);
    }
    res.json({ ok: true });
  });

  return router;
}
