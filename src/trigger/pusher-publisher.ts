/** The Publisher around the official `pusher` SDK, and where it points for each mode. */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import Pusher from 'pusher';
import type { Config } from '../config.js';
import type { HttpError } from '../errors.js';
import type { BatchEvent, PublishEvent, Publisher, PublisherTarget } from './publisher.js';
import { routeSdkPosts, type UpstreamAnswer } from './signed-post.js';
import { refusalInAnswer, upstreamError, type UpstreamAction } from './upstream-error.js';

const PUBLISH_TIMEOUT_MS = 5000;

export interface ClosablePublisher extends Publisher {
  /** Drops kept-alive connections to the Pusher service. */
  close(): void;
}

/** Hosts a server listens on that a client cannot dial: reach them over loopback instead. */
function dialableHost(listenHost: string): string {
  if (listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '') return '127.0.0.1';
  return listenHost.includes(':') ? `[${listenHost}]` : listenHost;
}

/** Embedded mode publishes to our own HTTP API on the port actually bound (port 0 included). */
export function publisherTargetFor(config: Config, boundPort: number, timeoutMs = PUBLISH_TIMEOUT_MS): PublisherTarget {
  const { appId, key, secret } = config.app;
  const common = {
    appId,
    key,
    secret,
    timeoutMs,
    ...(config.encryptionMasterKey ? { encryptionMasterKey: config.encryptionMasterKey } : {}),
  };
  if (config.mode === 'embedded') {
    return { ...common, host: dialableHost(config.host), port: boundPort, useTLS: false };
  }
  const { cluster, host, port, useTLS } = config.remote;
  return {
    ...common,
    useTLS,
    ...(host !== undefined ? { host } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(cluster !== undefined ? { cluster } : {}),
  };
}

function sdkFor(target: PublisherTarget, agent: HttpAgent): Pusher {
  const base = {
    appId: target.appId,
    key: target.key,
    secret: target.secret,
    useTLS: target.useTLS,
    ...(target.encryptionMasterKey ? { encryptionMasterKeyBase64: target.encryptionMasterKey.toString('base64') } : {}),
  };
  const sdk =
    target.host !== undefined
      ? new Pusher({ ...base, host: target.host, ...(target.port !== undefined ? { port: String(target.port) } : {}) })
      : new Pusher({ ...base, cluster: target.cluster ?? 'mt1' });
  routeSdkPosts(sdk, { agent, timeoutMs: target.timeoutMs });
  return sdk;
}

/** What the service may have done when its answer never came, for each kind of request. */
const ACTIONS = {
  event: { refused: 'the event', failed: 'Publishing', effect: 'the event may have been delivered' },
  batch: { refused: 'the event', failed: 'Publishing', effect: 'the events may have been delivered' },
  terminate: { refused: "to close the user's connections", failed: 'Terminating', effect: "the user's connections may have been closed" },
} as const satisfies Record<string, UpstreamAction>;

/**
 * `target` may be a function, read on the first publish: in embedded mode the port is known only
 * once the server listens (port 0 included).
 */
export function createPusherPublisher(target: PublisherTarget | (() => PublisherTarget)): ClosablePublisher {
  let client: { sdk: Pusher; agent: HttpAgent; target: PublisherTarget } | undefined;
  const connect = () => {
    if (client) return client;
    const resolved = typeof target === 'function' ? target() : target;
    // Kept-alive connections: against hosted Pusher this saves a TLS handshake per trigger.
    const agent = resolved.useTLS ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
    client = { sdk: sdkFor(resolved, agent), agent, target: resolved };
    return client;
  };
  // The SDK's typings promise its own fetch Response; routeSdkPosts makes every request an UpstreamAnswer.
  const send = async (effect: keyof typeof ACTIONS, request: (sdk: Pusher) => Promise<unknown>): Promise<void> => {
    let resolved: PublisherTarget | undefined;
    const secrets = () => (resolved ? [resolved.secret, resolved.encryptionMasterKey?.toString('base64') ?? ''] : []);
    let refusal: HttpError | undefined;
    try {
      const connected = connect(); // inside the try: during shutdown there may be no port to read
      resolved = connected.target;
      refusal = refusalInAnswer((await request(connected.sdk)) as UpstreamAnswer, secrets(), ACTIONS[effect]);
    } catch (err) {
      throw upstreamError(err, resolved?.timeoutMs ?? PUBLISH_TIMEOUT_MS, secrets(), ACTIONS[effect]);
    }
    if (refusal) throw refusal;
  };
  return {
    publish: ({ channels, event, data, socketId }: PublishEvent) =>
      send('event', (sdk) => sdk.trigger([...channels], event, data, socketId === undefined ? undefined : { socket_id: socketId })),
    publishBatch: (events: readonly BatchEvent[]) =>
      send('batch', (sdk) =>
        sdk.triggerBatch(
          events.map(({ channel, event, data, socketId }) => ({
            channel,
            name: event,
            data,
            ...(socketId === undefined ? {} : { socket_id: socketId }),
          })),
        ),
      ),
    sendToUser: (userId, event, data) => send('event', (sdk) => sdk.sendToUser(userId, event, data)),
    terminateUser: (userId) => send('terminate', (sdk) => sdk.terminateUserConnections(userId)),
    close: () => client?.agent.destroy(),
  };
}
