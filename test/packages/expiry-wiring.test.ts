/**
 * The two packages inside an app, wired as their READMEs say: `pusherAuth({ ..., onGranted })`
 * tells `createPusherServer`'s `expireConnection` when the user's session ends (`expiresAt` from
 * `user()`); the connection is closed with 4200, pusher-js reconnects, and the app's `user()`,
 * which no longer knows the session, makes the re-authorization a 401.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import PusherModule from 'pusher-js';
import { afterEach, describe, expect, it } from 'vitest';
import { channel, pusherAuth } from '@pusher-auth-server/channel-auth';
import { createPusherServer, type PusherServer } from '@pusher-auth-server/embedded';
import { ManualScheduler } from '../helpers/scheduler.js';
import { Inbox } from '../helpers/wait.js';

const Pusher = PusherModule as unknown as typeof PusherModule.default;
const APP = { appId: 'app', key: 'app-key', secret: 'app-secret' };
const SESSION_SECONDS = 300;

let httpServer: Server | undefined;
let pusherServer: PusherServer | undefined;
let client: InstanceType<typeof Pusher> | undefined;

afterEach(async () => {
  client?.disconnect();
  await pusherServer?.close();
  httpServer?.closeAllConnections();
  httpServer?.close();
});

describe('pusherAuth with onGranted and createPusherServer', () => {
  it('closes the connection with 4200 when the session given by user() ends, and the re-authorization is a 401', async () => {
    const clock = new ManualScheduler();
    const sessionEnds = Math.floor(clock.now() / 1000) + SESSION_SECONDS;
    const pusher = createPusherServer({ ...APP, clock: clock.now, heartbeatIntervalMs: 5 });
    pusherServer = pusher;
    const app = express();
    app.use(
      pusherAuth({
        ...APP,
        // The app's session: valid until sessionEnds by the same clock.
        user: () => (clock.now() < sessionEnds * 1000 ? { id: '1', expiresAt: sessionEnds } : undefined),
        rules: [channel('private-user-{userId}', ({ user, params }) => params.userId === user.id || 'not yours')],
        onGranted: (g) => g.expiresAt && pusher.expireConnection(g.socketId, g.expiresAt),
      }),
    );
    const server = createServer(app);
    httpServer = server;
    pusher.attach(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const outcomes = new Inbox<true | number>();
    const closes = new Inbox<number>();
    client = new Pusher(APP.key, {
      cluster: 'local',
      wsHost: '127.0.0.1',
      wsPort: port,
      forceTLS: false,
      enabledTransports: ['ws'],
      channelAuthorization: { endpoint: `http://127.0.0.1:${port}/pusher/auth`, transport: 'ajax' },
    });
    client.connection.bind('error', (err: { error?: { data?: { code?: number } } }) => err.error?.data?.code && closes.push(err.error.data.code));
    const subscription = client.subscribe('private-user-1');
    subscription.bind('pusher:subscription_succeeded', () => outcomes.push(true));
    subscription.bind('pusher:subscription_error', ({ status }: { status: number }) => outcomes.push(status));
    expect(await outcomes.at(0)).toBe(true);

    clock.advance(SESSION_SECONDS * 1000);
    expect(await closes.at(0)).toBe(4200);
    expect(await outcomes.at(1)).toBe(401);
    expect(pusher.stats()).toMatchObject({ connections: 1, channels: 0 });
  });
});
