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
  /** Resolves once the Pusher service accepted the event; rejects with an `upstream_error` HttpError. */
  publish(event: PublishEvent): Promise<void>;
  publishBatch(events: readonly BatchEvent[]): Promise<void>;
}
