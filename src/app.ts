/** createApp(deps): the Express app. It never listens (see server.ts). */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { demoLoginRoutes } from './auth/demo-login.js';
import { createForwardAuth } from './auth/forward-auth.js';
import { createIdentify, type Identify } from './auth/identify.js';
import { createJwtVerifier } from './auth/jwt.js';
import { createAuthFastPath, type AuthFastPath } from './auth/fast-path.js';
import { authRoutes } from './auth/routes.js';
import { channelRules } from './channels.js';
import { clientConfig } from './client-config.js';
import type { Config } from './config.js';
import { createDecisionFeed } from './console/decision-feed.js';
import { createExplain } from './console/explain.js';
import { consoleOff, consoleRoutes } from './console/routes.js';
import { demoRoomRoutes } from './demo/room-routes.js';
import { rooms } from './demo/rooms.js';
import { demoSendRoutes } from './demo/send.js';
import type { EmbeddedSnapshot } from '@pusher-auth-server/embedded';
import { errorHandler, notFoundHandler } from './errors.js';
import { jsonAnswersCarryApiHeaders } from './http/api-headers.js';
import { createClientIp, trustFunction } from './http/client-ip.js';
import { corsFor } from './http/cors.js';
import { createRequestLimit, limitRequests } from './http/rate-limit.js';
import { securityHeaders } from './http/security.js';
import { createTokenFailures } from './http/token-failures.js';
import type { Metrics } from './metrics/metrics.js';
import { metricsRoute } from './metrics/route.js';
import { PUBLIC_DIR } from './paths.js';
import { type ChannelAuth, type ChannelRule, createChannelAuth, type DecisionObserver, type Grant } from '@pusher-auth-server/channel-auth';
import type { Publisher } from './trigger/publisher.js';
import { triggerRoutes } from './trigger/routes.js';
import { userEventRoutes } from './users/events-route.js';
import { terminateRoutes } from './users/routes.js';
import { createUserTerminator, type UserTerminatedListener } from './users/terminator.js';
import { webhookHandlers } from './webhooks.js';
import type { WebhookHandlers } from './webhook-receiver/events.js';
import { webhookRoutes } from './webhook-receiver/routes.js';

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock?: () => number;
  /** Counters and histograms for GET /metrics; absent, nothing is measured. */
  readonly metrics?: Metrics;
  /** Publishes for /trigger and /demo/send; absent, those routes are not mounted. */
  readonly publisher?: Publisher;
  /** Handlers for POST /pusher/webhooks; default: the user's `src/webhooks.ts`. */
  readonly webhookHandlers?: WebhookHandlers;
  /** Embedded mode: the Pusher service's state, for the console. */
  readonly embeddedSnapshot?: () => EmbeddedSnapshot;
  /** Told each user whose connections were terminated, once Pusher confirmed (e.g. to forget cached decisions). */
  readonly onUserTerminated?: UserTerminatedListener;
  /** Told every channel and user authorization (besides metrics), e.g. by an operator console. */
  readonly onDecision?: DecisionObserver;
  /** The channel rules; default: the user's `src/channels.ts`. */
  readonly rules?: readonly ChannelRule[];
  /** How long a rule or AUTHZ_URL may take to decide; default 2 s. */
  readonly decisionTimeoutMs?: number;
  /** Told every signature made (embedded mode: the connection closes when the user's credentials expire). */
  readonly onGranted?: (grant: Grant) => void;
  /** The decider; default: built from config, `rules` and the options above. */
  readonly channelAuth?: ChannelAuth;
}

const PUSHER_JS_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('pusher-js/package.json')), 'dist/web');

function createIdentity({ config, logger, metrics }: AppDeps, clock: () => number): Identify {
  const { jwtSecret, jwksUrl, jwtIssuer, jwtAudience, identityUrl } = config.identity;
  const jwt = createJwtVerifier({ secret: jwtSecret, jwksUrl, issuer: jwtIssuer, audience: jwtAudience, clock });
  const forward = identityUrl === undefined ? undefined : createForwardAuth(identityUrl);
  return createIdentify(
    { ...(jwt ? { jwt } : {}), ...(forward ? { forward } : {}) },
    { logger, explain: config.authExplain, ...(metrics ? { onFailure: metrics.recordIdentifyFailure } : {}) },
  );
}

/** The Express app, and the auth routes' fast path on `node:http` that the server puts ahead of it. */
export interface AppHandlers {
  readonly app: Express;
  readonly authFastPath: AuthFastPath;
}

export function createApp(deps: AppDeps): Express {
  return createAppHandlers(deps).app;
}

export function createAppHandlers(deps: AppDeps): AppHandlers {
  const { config, logger, metrics } = deps;
  const clock = deps.clock ?? Date.now;
  // The console's feed is one more observer of every decision (only when CONSOLE_TOKEN is on).
  const feed = config.consoleToken === undefined ? undefined : createDecisionFeed();
  const channelAuth = deps.channelAuth ?? createPolicy(deps, clock, observeDecisions(logger, metrics?.recordAuthDecision, feed?.publish, deps.onDecision));
  const identify = createIdentity(deps, clock);
  const failures = createTokenFailures({ clock }); // one count per address across every token route
  const authLimit = createRequestLimit(config.authRateLimitPerMinute, clock); // one budget, fast path or Express
  const onAuthAnswered = metrics?.observeAuthLatency;
  const authFastPath = createAuthFastPath({
    channelAuth,
    identify,
    limit: authLimit,
    clientIp: createClientIp(config.trustProxy),
    cors: config.corsOrigins.length > 0,
    logger,
    onAnswered: onAuthAnswered,
  });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('etag', false); // API answers are never cached; static files keep their own ETags
  jsonAnswersCarryApiHeaders(app);
  app.set('trust proxy', trustFunction(config.trustProxy)); // req.ip, so the rate limits, see the client
  // The hot path first: auth answers are JSON read by pusher-js, so they skip helmet's page headers.
  app.use(
    authRoutes({
      identify,
      channelAuth,
      corsOrigins: config.corsOrigins,
      limit: authLimit,
      ...(onAuthAnswered ? { onAnswered: onAuthAnswered } : {}),
    }),
  );
  // /trigger too: a JSON API for backends, on the fan-out path (nosniff and no-store come with res.json).
  if (deps.publisher) {
    const encryption = config.encryptionMasterKey !== undefined;
    app.use(
      triggerRoutes({
        tokens: config.triggerTokens,
        failures,
        publisher: deps.publisher,
        logger,
        encryption,
        ...(metrics ? { onAnswered: metrics.observeTriggerAnswer } : {}),
      }),
    );
    const onAnswered = metrics?.observeTriggerAnswer;
    app.use(userEventRoutes({ tokens: config.triggerTokens, failures, publisher: deps.publisher, logger, ...(onAnswered ? { onAnswered } : {}) }));
  }
  app.use(securityHeaders(config));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', mode: config.mode });
  });
  if (metrics) app.use(metricsRoute(metrics, config.metricsToken, failures));
  app.get('/pusher/config', ...corsFor(config.corsOrigins), (req, res) => {
    res.json(clientConfig(config, req));
  });
  if (config.demoLogin && config.identity.jwtSecret !== undefined) {
    const { jwtSecret, jwtIssuer, jwtAudience } = config.identity;
    const limit = limitRequests(createRequestLimit(config.authRateLimitPerMinute, clock)); // a token issuer: as limited as auth
    if (limit.length > 0) app.post('/demo/login', ...limit);
    app.use(demoLoginRoutes({ jwt: { secret: jwtSecret, issuer: jwtIssuer, audience: jwtAudience }, clock }));
  }
  const forgetUser = (userId: string) => channelAuth.forgetUser(userId);
  const terminate = deps.publisher
    ? createUserTerminator({
        publisher: deps.publisher,
        logger,
        forgetUser,
        ...(deps.onUserTerminated ? { onUserTerminated: deps.onUserTerminated } : {}),
      })
    : undefined;
  if (config.demoLogin && deps.publisher && terminate) {
    app.use(demoSendRoutes({ identify, publisher: deps.publisher, channelAuth, explain: config.authExplain }));
    app.use(demoRoomRoutes({ identify, rooms, terminate }));
  }
  if (terminate) {
    const onAnswered = metrics?.observeTerminateAnswer;
    app.use(terminateRoutes({ tokens: config.triggerTokens, failures, terminate, ...(onAnswered ? { onAnswered } : {}) }));
  }
  if (config.consoleToken !== undefined && feed) {
    app.use(
      consoleRoutes({
        token: config.consoleToken,
        failures,
        feed,
        explain: createExplain(channelAuth),
        ...(deps.embeddedSnapshot ? { snapshot: deps.embeddedSnapshot } : {}),
        ...(terminate ? { terminateUser: terminate } : {}), // the same path as POST /users/:userId/terminate
        ...(terminate && metrics ? { onTerminateAnswered: metrics.observeTerminateAnswer } : {}),
      }),
    );
  } else {
    app.use(consoleOff); // the page and its files are not there either
  }
  app.use(webhookRoutes({ app: config.app, handlers: deps.webhookHandlers ?? webhookHandlers, logger }));
  app.use('/vendor/pusher-js', express.static(PUSHER_JS_DIR, { index: false }));
  app.use(express.static(PUBLIC_DIR));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, authFastPath };
}

/** The one decider of every way in: the auth routes, the console's "what if", the demo's send. */
function createPolicy(deps: AppDeps, clock: () => number, onDecision: DecisionObserver | undefined): ChannelAuth {
  const { config, logger } = deps;
  return createChannelAuth({
    ...config.app,
    ...(config.encryptionMasterKey ? { encryptionMasterKeyBase64: config.encryptionMasterKey.toString('base64') } : {}),
    rules: deps.rules ?? channelRules,
    explain: config.authExplain,
    ...(deps.decisionTimeoutMs === undefined ? {} : { decisionTimeoutMs: deps.decisionTimeoutMs }),
    ...(config.authz ? { authzUrl: config.authz } : {}),
    logger,
    clock,
    ...(onDecision ? { onDecision } : {}),
    ...(deps.onGranted ? { onGranted: deps.onGranted } : {}),
  });
}

/**
 * One observer for several (metrics, the console's feed, the caller's); undefined when there is none.
 * Each is told whatever another does: a decision taken is answered, never turned into a 500.
 */
function observeDecisions(logger: Logger, ...candidates: Array<DecisionObserver | undefined>): DecisionObserver | undefined {
  const observers = candidates.filter((observer): observer is DecisionObserver => observer !== undefined);
  if (observers.length === 0) return undefined;
  return (event) => {
    for (const observer of observers) {
      try {
        observer(event);
      } catch (err) {
        logger.warn({ err }, 'a decision observer failed');
      }
    }
  };
}
