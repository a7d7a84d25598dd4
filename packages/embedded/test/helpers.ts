/** Starts the Pusher server on 127.0.0.1:0, as a test of a user's would. */
import { createPusherServer, type PusherServer, type PusherServerOptions } from '../src/index.js';

export const TEST_APP = { appId: '3', key: '278d425bdf160c739803', secret: '7ad3773142a6692b25b8' } as const;

export interface RunningEmbedded {
  readonly host: string;
  readonly port: number;
  readonly app: { readonly appId: string; readonly key: string; readonly secret: string };
  readonly embedded: PusherServer;
  /** `ws://127.0.0.1:<port>` */
  readonly wsBase: string;
  /** `http://127.0.0.1:<port>` */
  readonly httpBase: string;
  close(): Promise<void>;
}

/** `app` overrides the test app's credentials. */
export type EmbeddedOverrides = Partial<PusherServerOptions> & { app?: { appId: string; key: string; secret: string } };

export async function startEmbedded({ app = TEST_APP, ...overrides }: EmbeddedOverrides = {}): Promise<RunningEmbedded> {
  const embedded = createPusherServer({ ...app, ...overrides });
  const { port } = await embedded.listen(0);
  return {
    host: '127.0.0.1',
    port,
    app,
    embedded,
    wsBase: `ws://127.0.0.1:${port}`,
    httpBase: `http://127.0.0.1:${port}`,
    close: () => embedded.close(),
  };
}

/** Socket ids handed out in order, then `<n>.<n>`. */
export function socketIds(...ids: string[]): () => string {
  let n = 0;
  return () => ids.shift() ?? `${(n += 1)}.${n}`;
}
