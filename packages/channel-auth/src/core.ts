/**
 * The framework-free core: plain values in (`{ user, socketId, channel }`), `{ status, body }` out,
 * with the same bodies as the Express routes. Hono, Fastify and Next.js route handlers use it in
 * three lines; `pusherAuth` is its Express adapter.
 */
import { performance } from 'node:perf_hooks';
import { channelKind, type Logger, silentLogger } from '@pusher-auth-server/pusher-core';
import { answerOf, type AuthAnswer, explanationOf, type Explanation, NOBODY, ok, refusalError, refusalOf } from './answers.js';
import { createAuthzUrl } from './policy/authz-url.js';
import { createDecisionLog, type DecisionObserver } from './policy/decision-log.js';
import { type ChannelRule, DECISION_TIMEOUT_MS } from './policy/engine.js';
import { decideJoin, type JoinPolicy } from './policy/join.js';
import { type AppUser, toUser, type User } from './policy/user.js';
import { invalidRequest } from './http/validate.js';
import { channelNameProblem, channelRequestProblem, socketIdProblem } from './requests.js';
import { createSigner, type SigningOptions } from './signer.js';

/** A signature was made: the connection `socketId` now holds something granted to `userId`. */
export interface Grant {
  readonly socketId: string;
  readonly userId: string;
  /** `null` for a sign-in (`pusher.signin()`). */
  readonly channel: string | null;
  /** The user's `expiresAt`, when their credentials expire (seconds since the epoch). */
  readonly expiresAt?: number;
}

export type ChannelAuthOptions = SigningOptions & {
  /** Tried in order; the first whose pattern matches decides. Anything no rule matches is refused. */
  readonly rules: readonly ChannelRule[];
  /** Put the deciding rule and reason into refusals' `details`. Default false: they help an attacker too. */
  readonly explain?: boolean;
  /** How long an async rule (or AUTHZ_URL) may take before the answer is a 502. Default 2000. */
  readonly decisionTimeoutMs?: number;
  /** Ask your app about channels no rule matches (docs/design.md#authz-url). */
  readonly authzUrl?: { readonly url: string; readonly token?: string; readonly cacheSeconds?: number };
  /** pino, or anything with its levels and `child`: each decision is logged (never a signature). Default: none. */
  readonly logger?: Logger;
  /** Told every decision (metrics, a console); what it throws is logged, never answered. */
  readonly onDecision?: DecisionObserver;
  /** Told every signature made (a Pusher server closing connections when credentials expire). */
  readonly onGranted?: (grant: Grant) => void;
  /** Milliseconds since the epoch; default `Date.now`. */
  readonly clock?: () => number;
};

/** `undefined` or `null`: nobody is signed in (401). */
export type MaybeUser = AppUser | null | undefined;

export interface ChannelAuth {
  /** 200 with `{auth}` (`channel_data` for presence, `shared_secret` for encrypted), or 400, 401, 403, 502. */
  authorizeChannel(request: { readonly user: MaybeUser; readonly socketId: string; readonly channel: string }): Promise<AuthAnswer>;
  /** 200 with one `{status, data}` or `{status, error}` entry per channel name, or 400, 401 for the whole batch. */
  authorizeBatch(request: { readonly user: MaybeUser; readonly socketId: string; readonly channels: readonly string[] }): Promise<AuthAnswer>;
  /** For `pusher.signin()`: 200 with `{auth, user_data}`, or 400, 401. */
  authenticateUser(request: { readonly user: MaybeUser; readonly socketId: string }): Promise<AuthAnswer>;
  /** What the rules decide for this user and channel, signing nothing and reporting no decision. */
  explain(request: { readonly user: AppUser; readonly channel: string }): Promise<Explanation>;
  /** Forgets the user's cached AUTHZ_URL answers (call it when you terminate their connections). */
  forgetUser(userId: string): void;
}

type BatchEntry = { status: 200; data: Readonly<Record<string, unknown>> } | { status: number; error: unknown };

export function createChannelAuth(options: ChannelAuthOptions): ChannelAuth {
  if (!Array.isArray(options.rules)) throw new TypeError('rules is required: an array of channel() rules.');
  const signer = createSigner(options);
  const clock = options.clock ?? Date.now;
  const explainOn = options.explain ?? false;
  const decisionTimeoutMs = options.decisionTimeoutMs ?? DECISION_TIMEOUT_MS;
  const authz = options.authzUrl && createAuthzUrl({ ...options.authzUrl, timeoutMs: decisionTimeoutMs, clock });
  const policy: JoinPolicy = {
    rules: options.rules,
    encryptionEnabled: signer.encryptionEnabled,
    decisionTimeoutMs,
    ...(authz ? { askApp: authz.ask } : {}),
  };
  const logger = options.logger ?? silentLogger;
  const decisions = createDecisionLog({ logger, clock, onDecision: options.onDecision });
  const granted = (user: User, socketId: string, channel: string | null) => {
    if (!options.onGranted) return;
    const grant = { socketId, userId: user.id, channel, ...(user.expiresAt === undefined ? {} : { expiresAt: user.expiresAt }) };
    try {
      options.onGranted(grant);
    } catch (err) {
      logger.warn({ err }, 'onGranted failed');
    }
  };

  const sign = async (user: User, socketId: string, channel: string): Promise<AuthAnswer> => {
    const startedAt = performance.now();
    const decision = await decideJoin(policy, { user, channel, socketId });
    decisions.channel(user, channel, channelKind(channel), decision, startedAt);
    if (decision.verdict !== 'allow') {
      return answerOf(refusalError(refusalOf(decision), `join ${channel}`, explainOn));
    }
    const body = signer.signChannel(socketId, channel, decision.member);
    granted(user, socketId, channel);
    return ok({ ...body });
  };
  const batchEntry = async (user: User, socketId: string, channel: string): Promise<BatchEntry> => {
    const problem = channelNameProblem(channel);
    if (problem) return { status: 400, error: { code: 'invalid_request', message: `channel_name ${problem}` } };
    const { status, body } = await sign(user, socketId, channel);
    return status === 200 ? { status, data: body } : { status, error: body.error };
  };

  return {
    async authorizeChannel({ user, socketId, channel }) {
      const problem = channelRequestProblem(socketId, [channel], false);
      if (problem) return answerOf(problem);
      return user ? sign(toUser(user), socketId, channel) : NOBODY;
    },
    async authorizeBatch({ user, socketId, channels }) {
      const problem = channelRequestProblem(socketId, channels, true);
      if (problem) return answerOf(problem);
      if (!user) return NOBODY;
      const verified = toUser(user);
      const names = [...new Set(channels)];
      const entries = await Promise.all(names.map((name) => batchEntry(verified, socketId, name)));
      return ok(Object.fromEntries(names.map((name, i) => [name, entries[i]])));
    },
    async authenticateUser({ user, socketId }) {
      const problem = socketIdProblem(socketId);
      if (problem) return answerOf(invalidRequest([{ field: 'socket_id', problem }]));
      if (!user) return NOBODY;
      const startedAt = performance.now();
      const verified = toUser(user);
      decisions.user(verified, startedAt);
      const body = signer.signUser(socketId, { id: verified.id, ...(verified.info ? { user_info: verified.info } : {}) });
      granted(verified, socketId, null);
      return ok({ ...body });
    },
    async explain({ user, channel }) {
      return explanationOf(await decideJoin(policy, { user: toUser(user), channel }));
    },
    forgetUser(userId) {
      authz?.forgetUser(userId);
    },
  };
}
