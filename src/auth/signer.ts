/** Signing goes through the official `pusher` SDK, so our answers are exactly what Pusher expects. */
import Pusher from 'pusher';
import type { PresenceChannelData } from '../policy/join.js';
import type { UserInfo } from '../policy/user.js';

/** Signs what the policy allowed; it decides nothing. */
export interface Signer {
  readonly encryptionEnabled: boolean;
  signChannel(socketId: string, channel: string, member?: PresenceChannelData): Pusher.ChannelAuthResponse;
  signUser(socketId: string, user: { id: string; user_info?: UserInfo }): Pusher.UserAuthResponse;
}

export function createSigner(app: { appId: string; key: string; secret: string }, masterKey?: Buffer): Signer {
  // Signing is local: this client never makes a request, so it needs no host.
  const sdk = new Pusher({
    appId: app.appId,
    key: app.key,
    secret: app.secret,
    host: '127.0.0.1',
    ...(masterKey ? { encryptionMasterKeyBase64: masterKey.toString('base64') } : {}),
  });
  return {
    encryptionEnabled: masterKey !== undefined,
    signChannel: (socketId, channel, member) => sdk.authorizeChannel(socketId, channel, member ? { ...member } : undefined),
    signUser: (socketId, user) => sdk.authenticateUser(socketId, { ...user }),
  };
}
