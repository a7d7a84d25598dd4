/** Per test: the embedded server it starts and the raw clients it opens, all closed after each test. */
import { afterEach } from 'vitest';
import { type EmbeddedOverrides, type RunningEmbedded, startEmbedded } from './helpers.js';
import { sign } from './frames.js';
import { RawClient } from '../../../conformance/raw-client.js';

export interface EmbeddedFixture {
  start(overrides?: EmbeddedOverrides): Promise<RunningEmbedded>;
  /** A client past the handshake, on the started server (with another app key if given). */
  connect(key?: string): Promise<{ client: RawClient; socketId: string }>;
  /** A client on a raw path of the started server, before any handshake. */
  open(path: string): Promise<RawClient>;
}

export function useEmbedded(): EmbeddedFixture {
  let current: RunningEmbedded | undefined;
  const clients: RawClient[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) client.terminate();
    await current?.close();
    current = undefined;
  });
  const running = () => {
    if (!current) throw new Error('start the server first');
    return current;
  };
  return {
    start: async (overrides = {}) => (current = await startEmbedded(overrides)),
    async connect(key = running().app.key) {
      const client = await RawClient.connect(running().wsBase, key);
      clients.push(client);
      return { client, socketId: client.socketId };
    },
    async open(path) {
      const client = await RawClient.open(`${running().wsBase}${path}`);
      clients.push(client);
      return client;
    },
  };
}

/** Subscribes to a presence channel with a valid signature; resolves with the server's reply frame. */
export async function joinPresence(client: RawClient, socketId: string, channel: string, channelData: string): Promise<string> {
  client.send({ event: 'pusher:subscribe', data: { channel, auth: sign(socketId, channel, channelData), channel_data: channelData } });
  return client.next();
}
