/** Taking access back: close every connection of a user through Pusher, then tell who must forget them. */
import type { Logger } from 'pino';
import { HttpError } from '../errors.js';
import type { Publisher } from '../trigger/publisher.js';

/** Resolves once Pusher closed the user's connections; rejects with an `upstream_error` HttpError. */
export type TerminateUser = (userId: string) => Promise<void>;

/** Called once Pusher confirmed, e.g. to drop the user's cached channel decisions. */
export type UserTerminatedListener = (userId: string) => void | Promise<void>;

export interface UserTerminatorDeps {
  readonly publisher: Publisher;
  readonly logger: Logger;
  /**
   * Drops the user's cached channel decisions. Called before Pusher is asked, so a client that
   * reconnects at once is decided against the app's current data, never a remembered answer.
   */
  readonly forgetUser?: (userId: string) => void;
  readonly onUserTerminated?: UserTerminatedListener;
}

export function createUserTerminator({ publisher, logger, forgetUser, onUserTerminated }: UserTerminatorDeps): TerminateUser {
  return async (userId) => {
    forgetUser?.(userId);
    try {
      await publisher.terminateUser(userId);
    } catch (err) {
      if (err instanceof HttpError) logger.warn({ userId, outcome: err.code, details: err.details }, 'user not terminated');
      throw err;
    }
    await onUserTerminated?.(userId);
    logger.info({ userId, outcome: 'terminated' }, 'user connections terminated');
  };
}
