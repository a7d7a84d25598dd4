/**
 * docs/protocol.md#http-api-signing: `auth_timestamp` must be plain decimal seconds. A correctly signed request whose
 * timestamp merely contains the right digits is refused: `Number()` of it is NaN, and NaN compared
 * with the 600 s window is never "too far", so only the digits-only check keeps it out.
 */
import { describe, expect, it } from 'vitest';
import { verifyApiRequest } from '../src/api/verify.js';
import { ApiError } from '../src/api/errors.js';
import { apiSignature } from '@pusher-auth-server/pusher-core';

const APP = { appId: '3', key: 'f00d', secret: 'tofu' };
const NOW_SECONDS = 1353088179;
const PATH = '/apps/3/channels';

/** A GET signed correctly over whatever `auth_timestamp` text it is given. */
function signedWithTimestamp(timestamp: string): string {
  const params = [['auth_key', APP.key], ['auth_timestamp', timestamp], ['auth_version', '1.0']] as const;
  const query = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join('&');
  return `${query}&auth_signature=${apiSignature(APP.secret, 'GET', PATH, params)}`;
}

const verify = (timestamp: string) => () =>
  verifyApiRequest(APP, { method: 'GET', path: PATH, rawQuery: signedWithTimestamp(timestamp), body: Buffer.alloc(0) }, NOW_SECONDS * 1000);

describe('auth_timestamp', () => {
  it('accepts plain decimal seconds within the window', () => {
    expect(verify(String(NOW_SECONDS))).not.toThrow();
  });

  it.each([`x${NOW_SECONDS}`, `${NOW_SECONDS}x`, `${NOW_SECONDS} `, ` ${NOW_SECONDS}`, `${NOW_SECONDS}.0`, `+${NOW_SECONDS}`, '', '1e9', `0${NOW_SECONDS}00`])(
    'refuses %j even when signed, with 401 and the timestamp message',
    (timestamp) => {
      let refusal: unknown;
      try {
        verify(timestamp)();
      } catch (err) {
        refusal = err;
      }
      expect(refusal).toBeInstanceOf(ApiError);
      expect({ status: (refusal as ApiError).status, message: (refusal as ApiError).message }).toEqual({
        status: 401,
        message: `Timestamp expired: Given timestamp (${timestamp}) not within 600s of server time (${NOW_SECONDS})`,
      });
    },
  );
});
