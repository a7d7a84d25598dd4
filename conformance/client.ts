/** A real pusher-js (Node build) client, authorized by the kit itself through custom handlers. */
import { PusherJs, type Channel, type PresenceChannel } from './pusher-js.js';
import type PusherServer from 'pusher';
import { CheckFailure, Recorder, waitFor } from './wait.js';

export interface Identity {
  /** Signs in (pusher.signin()) and joins presence channels as this user. */
  userId?: string;
  userInfo?: Record<string, unknown>;
  /** Presence auth without channel_data: the server must use the signed-in user (docs/protocol.md#auth-endpoint-answers). */
  presenceFromSignin?: boolean;
  /** Channel authorizations signed with a wrong secret. */
  forgeChannelAuth?: boolean;
  /** User authentication signed with a wrong secret. */
  forgeUserAuth?: boolean;
}

export interface PusherErrorData {
  code: number | null | undefined;
  message: string | undefined;
}

export interface ProtocolEvent {
  event: string;
  channel?: string;
  data?: unknown;
}

export interface ClientSetup {
  host: string;
  port: number;
  key: string;
  useTLS: boolean;
  timeoutMs: number;
  sdk: PusherServer;
  forgingSdk: PusherServer;
}

function pusherError(error: unknown): PusherErrorData | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, data } = error as { type?: unknown; data?: { code?: number | null; message?: string } };
  if (type !== 'PusherError' || typeof data !== 'object' || data === null) return undefined;
  return { code: data.code, message: data.message };
}

export class Client {
  readonly pusher: PusherJs;
  /** Every `pusher:error` and error close code the connection reported. */
  readonly errors = new Recorder<PusherErrorData>();
  readonly messages = new Recorder<ProtocolEvent>();

  constructor(
    private readonly setup: ClientSetup,
    readonly identity: Identity = {},
  ) {
    const { sdk, forgingSdk } = setup;
    this.pusher = new PusherJs(setup.key, {
      cluster: 'conformance',
      wsHost: setup.host,
      wsPort: setup.port,
      wssPort: setup.port,
      forceTLS: setup.useTLS,
      enabledTransports: ['ws'],
      channelAuthorization: {
        customHandler: ({ socketId, channelName }, callback) => {
          const signer = identity.forgeChannelAuth ? forgingSdk : sdk;
          try {
            const presence = channelName.startsWith('presence-') && !identity.presenceFromSignin;
            const data = presence ? { user_id: identity.userId ?? 'anonymous', user_info: identity.userInfo ?? {} } : undefined;
            callback(null, signer.authorizeChannel(socketId, channelName, data));
          } catch (err) {
            callback(err instanceof Error ? err : new Error(String(err)), null);
          }
        },
      },
      userAuthentication: {
        customHandler: ({ socketId }, callback) => {
          const signer = identity.forgeUserAuth ? forgingSdk : sdk;
          const userData = { id: identity.userId ?? 'anonymous', ...(identity.userInfo ? { user_info: identity.userInfo } : {}) };
          try {
            callback(null, signer.authenticateUser(socketId, userData));
          } catch (err) {
            callback(err instanceof Error ? err : new Error(String(err)), null);
          }
        },
      },
    });
    this.pusher.connection.bind('error', (error: unknown) => {
      const data = pusherError(error);
      if (data) this.errors.push(data);
    });
    this.pusher.connection.bind('message', (event: ProtocolEvent) => this.messages.push(event));
  }

  get socketId(): string {
    return this.pusher.connection.socket_id;
  }

  get state(): string {
    return this.pusher.connection.state;
  }

  waitForState(state: string): Promise<void> {
    return waitFor<void>(`connection state ${state}`, this.setup.timeoutMs, (resolve) => {
      if (this.pusher.connection.state === state) return resolve();
      const onChange = ({ current }: { current: string }): void => {
        if (current === state) resolve();
      };
      this.pusher.connection.bind('state_change', onChange);
      return () => this.pusher.connection.unbind('state_change', onChange);
    });
  }

  /** Waits for a protocol message (seen from now on) matching `predicate`. */
  waitForMessage(what: string, predicate: (event: ProtocolEvent) => boolean): Promise<ProtocolEvent> {
    return waitFor<ProtocolEvent>(what, this.setup.timeoutMs, (resolve) => {
      const onMessage = (event: ProtocolEvent): void => {
        if (predicate(event)) resolve(event);
      };
      this.pusher.connection.bind('message', onMessage);
      return () => this.pusher.connection.unbind('message', onMessage);
    });
  }

  /** Subscribes and waits for `pusher:subscription_succeeded`; a subscription error or `pusher:error` fails. */
  subscribe<C extends Channel = Channel>(name: string): Promise<C> {
    const channel = this.pusher.subscribe(name) as C;
    return waitFor<C>(`subscription to ${name}`, this.setup.timeoutMs, (resolve, reject) => {
      const onSuccess = (): void => resolve(channel);
      const onError = (error: unknown): void => reject(new CheckFailure(`subscription to ${name} failed: ${JSON.stringify(error)}`));
      const onPusherError = (error: unknown): void => {
        const data = pusherError(error);
        if (data) reject(new CheckFailure(`pusher:error while subscribing to ${name}: ${data.message ?? ''}`));
      };
      channel.bind('pusher:subscription_succeeded', onSuccess);
      channel.bind('pusher:subscription_error', onError);
      this.pusher.connection.bind('error', onPusherError);
      return () => {
        channel.unbind('pusher:subscription_succeeded', onSuccess);
        channel.unbind('pusher:subscription_error', onError);
        this.pusher.connection.unbind('error', onPusherError);
      };
    });
  }

  subscribePresence(name: string): Promise<PresenceChannel> {
    return this.subscribe<PresenceChannel>(name);
  }

  /** Records every `event` on `channel` from now on (data and metadata). */
  record(channel: Channel, event: string): Recorder<{ data: unknown; metadata: unknown }> {
    const recorder = new Recorder<{ data: unknown; metadata: unknown }>();
    channel.bind(event, (data: unknown, metadata: unknown) => recorder.push({ data, metadata }));
    return recorder;
  }

  /** Waits for `promise`, failing early when this connection reports a `pusher:error` meanwhile. */
  unlessError<T>(what: string, promise: Promise<T>): Promise<T> {
    return waitFor<T>(what, this.setup.timeoutMs, (resolve, reject) => {
      const onError = (error: unknown): void => {
        const data = pusherError(error);
        if (data) reject(new CheckFailure(`pusher:error while waiting for ${what}: ${data.message ?? ''}`));
      };
      this.pusher.connection.bind('error', onError);
      promise.then(resolve, reject);
      return () => this.pusher.connection.unbind('error', onError);
    });
  }

  /** Signs in and waits for `pusher:signin_success`. */
  async signin(): Promise<void> {
    const success = this.waitForMessage('pusher:signin_success', (event) => event.event === 'pusher:signin_success');
    this.pusher.signin();
    await success;
  }

  /** A `pusher:ping` round trip: everything sent before it has been processed by the server. */
  async roundTrip(): Promise<void> {
    const pong = this.waitForMessage('pusher:pong', (event) => event.event === 'pusher:pong');
    this.pusher.send_event('pusher:ping', {});
    await pong;
  }

  disconnect(): void {
    this.pusher.disconnect();
  }
}
