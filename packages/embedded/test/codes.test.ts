import { describe, expect, it } from 'vitest';
import { PUSHER_ERRORS, PusherProtocolError } from '../src/protocol/codes.js';

/** pusher-js 8's close-code policy (protocol.ts `getCloseAction`, docs/protocol.md#close-and-error-codes): the reference the table is held to. */
function reconnectActionForCloseCode(code: number): 'never' | 'backoff' | 'immediately' | 'retry-later' {
  if (code < 4000) return code >= 1002 && code <= 1004 ? 'backoff' : 'retry-later';
  if (code < 4100) return 'never';
  if (code < 4200) return 'backoff';
  if (code < 4300) return 'immediately';
  return 'never';
}

describe('the error and close code table', () => {
  it('declares for each close code what pusher-js really does with it', () => {
    for (const [kind, spec] of Object.entries(PUSHER_ERRORS)) {
      if (!spec.close) continue;
      expect(spec.code, kind).not.toBeNull();
      expect(reconnectActionForCloseCode(spec.code as number), kind).toBe(spec.reconnect);
    }
  });

  it('uses 40xx (never reconnect) for auth, path and quota failures, 42xx for shutdown and liveness', () => {
    expect(PUSHER_ERRORS.unknown_app).toMatchObject({ code: 4001, close: true, reconnect: 'never' });
    expect(PUSHER_ERRORS.over_quota).toMatchObject({ code: 4004, close: true, reconnect: 'never' });
    expect(PUSHER_ERRORS.path_not_found.code).toBe(4005);
    expect(PUSHER_ERRORS.unsupported_protocol.code).toBe(4007);
    expect(PUSHER_ERRORS.no_protocol.code).toBe(4008);
    expect(PUSHER_ERRORS.unauthorized).toMatchObject({ code: 4009, close: true, reconnect: 'never' });
    expect(PUSHER_ERRORS.shutting_down).toMatchObject({ code: 4200, close: true, reconnect: 'immediately' });
    expect(PUSHER_ERRORS.pong_timeout).toMatchObject({ code: 4201, close: true, reconnect: 'immediately' });
  });

  it('closes a slow reader with 4100 (retry after a second) and expired credentials with 4200 (at once)', () => {
    expect(PUSHER_ERRORS.over_capacity).toMatchObject({ code: 4100, close: true, reconnect: 'backoff' });
    expect(PUSHER_ERRORS.credentials_expired).toMatchObject({ code: 4200, close: true, reconnect: 'immediately' });
  });

  it('keeps 4301 and subscription problems as messages, never closes', () => {
    expect(PUSHER_ERRORS.rate_limited).toMatchObject({ code: 4301, close: false, reconnect: 'not-a-close' });
    expect(PUSHER_ERRORS.too_deep).toMatchObject({ code: 4301, close: false, reconnect: 'not-a-close' });
    for (const kind of ['invalid_message', 'subscription_refused', 'client_event_refused'] as const) {
      expect(PUSHER_ERRORS[kind]).toMatchObject({ code: null, close: false });
    }
  });

  it('follows pusher-js getCloseAction across the ranges', () => {
    expect(reconnectActionForCloseCode(1000)).toBe('retry-later');
    expect(reconnectActionForCloseCode(1003)).toBe('backoff');
    expect(reconnectActionForCloseCode(4099)).toBe('never');
    expect(reconnectActionForCloseCode(4100)).toBe('backoff');
    expect(reconnectActionForCloseCode(4299)).toBe('immediately');
    expect(reconnectActionForCloseCode(4301)).toBe('never');
  });

  it('gives a thrown error its code and whether it closes', () => {
    const error = new PusherProtocolError('unauthorized', 'Sign-in failed');
    expect([error.code, error.closes, error.message, error.kind]).toEqual([4009, true, 'Sign-in failed', 'unauthorized']);
    expect(new PusherProtocolError('subscription_refused', 'x').code).toBeNull();
  });
});
