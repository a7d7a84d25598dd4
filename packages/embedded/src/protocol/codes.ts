/**
 * The one table of WebSocket error and close codes (docs/protocol.md#close-and-error-codes), and the error
 * handlers throw. `errorEvent` in the codec is the only place they become frames.
 */

/** What pusher-js does when a connection is closed with the code. */
type ReconnectAction = 'never' | 'backoff' | 'immediately' | 'not-a-close';

interface ErrorSpec {
  /** The `code` of the `pusher:error` frame; `null` is Pusher's own choice for subscription problems. */
  readonly code: number | null;
  /** Whether the connection is closed with `code` after the `pusher:error` frame. */
  readonly close: boolean;
  readonly reconnect: ReconnectAction;
  readonly meaning: string;
}

export const PUSHER_ERRORS = {
  unknown_app: { code: 4001, close: true, reconnect: 'never', meaning: 'application does not exist' },
  over_quota: { code: 4004, close: true, reconnect: 'never', meaning: 'application is over connection quota' },
  path_not_found: { code: 4005, close: true, reconnect: 'never', meaning: 'path not found' },
  unsupported_protocol: { code: 4007, close: true, reconnect: 'never', meaning: 'unsupported protocol version' },
  no_protocol: { code: 4008, close: true, reconnect: 'never', meaning: 'no protocol version supplied' },
  unauthorized: { code: 4009, close: true, reconnect: 'never', meaning: 'connection is unauthorized' },
  /** The client reads slower than it is sent to: its unsent bytes passed the cap. pusher-js retries after 1 s. */
  over_capacity: { code: 4100, close: true, reconnect: 'backoff', meaning: 'over capacity: the client reads too slowly' },
  shutting_down: { code: 4200, close: true, reconnect: 'immediately', meaning: 'generic reconnect immediately' },
  /** The credentials its channels or sign-in were granted with expired: pusher-js reconnects and authorizes again. */
  credentials_expired: { code: 4200, close: true, reconnect: 'immediately', meaning: 'credentials expired: authorize again' },
  pong_timeout: { code: 4201, close: true, reconnect: 'immediately', meaning: 'pong reply not received' },
  rate_limited: { code: 4301, close: false, reconnect: 'not-a-close', meaning: 'client event rejected: rate limit' },
  /** Client JSON nested deeper than `MAX_JSON_DEPTH`: soketi also answers 4301 for a payload it will not carry. */
  too_deep: { code: 4301, close: false, reconnect: 'not-a-close', meaning: 'client JSON nested too deep' },
  invalid_message: { code: null, close: false, reconnect: 'not-a-close', meaning: 'malformed or unknown message' },
  subscription_refused: { code: null, close: false, reconnect: 'not-a-close', meaning: 'subscription refused' },
  client_event_refused: { code: null, close: false, reconnect: 'not-a-close', meaning: 'client event refused' },
} as const satisfies Record<string, ErrorSpec>;

export type PusherErrorKind = keyof typeof PUSHER_ERRORS;

/** Thrown by handlers; `message` goes to the client, so it must never hold a secret. */
export class PusherProtocolError extends Error {
  readonly kind: PusherErrorKind;
  constructor(kind: PusherErrorKind, message: string) {
    super(message);
    this.name = 'PusherProtocolError';
    this.kind = kind;
  }

  get code(): number | null {
    return PUSHER_ERRORS[this.kind].code;
  }

  get closes(): boolean {
    return PUSHER_ERRORS[this.kind].close;
  }
}

/** Client input echoed back in an error message, cut short so an error never carries a large payload. */
export function clip(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…` : text;
}
