/** Publishing events to the Pusher service (embedded or remote) through the official SDK. */

export interface PublishEvent {
  readonly channels: readonly string[];
  readonly event: string;
  /** Any JSON value; a string is sent as it is, anything else JSON-serialized (like the SDK). */
  readonly data: unknown;
  /** Exclude this connection from the recipients. */
  readonly socketId?: string;
}

export interface BatchEvent {
  readonly channel: string;
  readonly event: string;
  readonly data: unknown;
  readonly socketId?: string;
}

export interface Publisher {
  /** Resolves once the Pusher service accepted the event; rejects with an `upstream_error` (502) or `upstream_timeout` (504) HttpError. */
  publish(event: PublishEvent): Promise<void>;
  publishBatch(events: readonly BatchEvent[]): Promise<void>;
  /** An event on `#server-to-user-<userId>`, for the connections signed in as that user. */
  sendToUser(userId: string, event: string, data: unknown): Promise<void>;
  /** Closes every connection signed in as that user (Pusher's `terminate_connections`; embedded: 4009). */
  terminateUser(userId: string): Promise<void>;
}

/** Where and how the publisher reaches the Pusher HTTP API. */
export interface PublisherTarget {
  readonly appId: string;
  readonly key: string;
  readonly secret: string;
  /** Hosted Pusher; ignored when `host` is set. */
  readonly cluster?: string;
  readonly host?: string;
  readonly port?: number;
  readonly useTLS: boolean;
  /** 32 raw bytes; needed to publish on `private-encrypted-*` channels. */
  readonly encryptionMasterKey?: Buffer;
  /** Each request is abandoned after this long: a 504 once it was sent, a 502 if it never left. */
  readonly timeoutMs: number;
}
