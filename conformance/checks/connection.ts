/** Handshake, liveness and connection refusal. */
import type { Check } from '../check.js';
import { show } from '../check.js';
import { expect } from '../wait.js';

export const connectionChecks: Check[] = [
  {
    name: 'handshake: connection_established with socket_id and activity_timeout, data as a JSON string',
    async run(kit) {
      const raw = await kit.raw();
      const frame = await raw.nextFrame('pusher:connection_established');
      expect(frame.event === 'pusher:connection_established', `first frame was ${show(frame)}`);
      expect(typeof frame.data === 'string', `data must be a string (double-encoded), got ${show(frame.data)}`);
      const data = JSON.parse(frame.data) as { socket_id?: unknown; activity_timeout?: unknown };
      expect(typeof data.socket_id === 'string' && /^\d+\.\d+$/.test(data.socket_id), `socket_id ${show(data.socket_id)}`);
      expect(typeof data.activity_timeout === 'number' && data.activity_timeout > 0, `activity_timeout ${show(data.activity_timeout)}`);
    },
  },
  {
    name: 'pusher-js connects and gets a socket id',
    async run(kit) {
      const client = await kit.connect();
      expect(/^\d+\.\d+$/.test(client.socketId), `socket id ${show(client.socketId)}`);
    },
  },
  {
    name: 'pusher:ping is answered with pusher:pong',
    async run(kit) {
      const raw = await kit.raw();
      await raw.nextFrame('pusher:connection_established');
      raw.send({ event: 'pusher:ping', data: {} });
      const frame = await raw.nextFrame('pusher:pong');
      expect(frame.event === 'pusher:pong', `expected pusher:pong, got ${show(frame)}`);
    },
  },
  {
    name: 'unknown app key is closed with 4001',
    async run(kit) {
      const raw = await kit.raw(`/app/${kit.name('no-such-key-')}?protocol=7&client=js&version=8.6.0`);
      const closed = await raw.waitClosed();
      expect(closed.code === 4001, `close code ${closed.code}`);
    },
  },
];
