/** Signing goes through the official `pusher` SDK, so our answers are exactly what Pusher expects. */
import Pusher from 'pusher';
import type { UserInfo } from './user.js';

export interface PresenceMember {
  readonly user_id: string;
  readonly user_info?: UserInfo;
}

export interface Signer {
  readonly encryptionEnabled: boolean;
  authorizeChannel(socketId: string, channel: string, member?: PresenceMember): Pusher.ChannelAuthResponse;
  authenticateUser(socketId: string, user: { id: string; user_info?: UserInfo }): Pusher.UserAuthResponse;
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
    authorizeChannel: (socketId, channel, member) =>
      sdk.authorizeChannel(socketId, channel, member ? { ...member } : undefined),
    authenticateUser: (socketId, user) => sdk.authenticateUser(socketId, { ...user }),
  };
}
