/**
 * The one table of WebSocket error and close codes (PROTOCOL.md section 5.5), and the error
 * handlers throw. The message loop is the only place that turns these into frames.
 */

/** What pusher-js does when a connection is closed with the code. */
export type ReconnectAction = 'never' | 'backoff' | 'immediately' | 'not-a-close';

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
  path_not_found: { code: 4005, close: true, reconnect: 'never', meaning: 'path not found' },
  unsupported_protocol: { code: 4007, close: true, reconnect: 'never', meaning: 'unsupported protocol version' },
  no_protocol: { code: 4008, close: true, reconnect: 'never', meaning: 'no protocol version supplied' },
  unauthorized: { code: 4009, close: true, reconnect: 'never', meaning: 'connection is unauthorized' },
  over_capacity: { code: 4100, close: true, reconnect: 'backoff', meaning: 'over capacity' },
  shutting_down: { code: 4200, close: true, reconnect: 'immediately', meaning: 'generic reconnect immediately' },
  pong_timeout: { code: 4201, close: true, reconnect: 'immediately', meaning: 'pong reply not received' },
  rate_limited: { code: 4301, close: false, reconnect: 'not-a-close', meaning: 'client event rejected: rate limit' },
  invalid_message: { code: null, close: false, reconnect: 'not-a-close', meaning: 'malformed or unknown message' },
  subscription_refused: { code: null, close: false, reconnect: 'not-a-close', meaning: 'subscription refused' },
  client_event_refused: { code: null, close: false, reconnect: 'not-a-close', meaning: 'client event refused' },
} as const satisfies Record<string, ErrorSpec>;

export type PusherErrorKind = keyof typeof PUSHER_ERRORS;

/** pusher-js 8's close-code policy (protocol.ts `getCloseAction`), for codes used as close codes. */
export function reconnectActionForCloseCode(code: number): Exclude<ReconnectAction, 'not-a-close'> | 'retry-later' {
  if (code < 4000) return code >= 1002 && code <= 1004 ? 'backoff' : 'retry-later';
  if (code < 4100) return 'never';
  if (code < 4200) return 'backoff';
  if (code < 4300) return 'immediately';
  return 'never';
}

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
