/** createApp(deps): the Express app. It never listens (see server.ts). */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createChannelAuthorizer } from './auth/authorize-channel.js';
import { demoLoginRoutes } from './auth/demo-login.js';
import { createForwardAuth } from './auth/forward-auth.js';
import { createIdentify, type Identify } from './auth/identify.js';
import { createJwtVerifier } from './auth/jwt.js';
import { authRoutes } from './auth/routes.js';
import { createSigner } from './auth/signer.js';
import { channelRules } from './channels.js';
import { clientConfig } from './client-config.js';
import type { Config } from './config.js';
import { createDecisionFeed } from './console/decision-feed.js';
import { createExplain } from './console/explain.js';
import { consoleOff, consoleRoutes } from './console/routes.js';
import { demoRoomRoutes } from './demo/room-routes.js';
import { rooms } from './demo/rooms.js';
import { demoSendRoutes } from './demo/send.js';
import type { EmbeddedSnapshot } from './embedded/index.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { jsonAnswersCarryApiHeaders } from './http/api-headers.js';
import { trustFunction } from './http/client-ip.js';
import { corsFor } from './http/cors.js';
import { authRateLimit } from './http/rate-limit.js';
import { securityHeaders } from './http/security.js';
import { createTokenFailures } from './http/token-failures.js';
import type { Metrics } from './metrics/metrics.js';
import { metricsRoute } from './metrics/route.js';
import { PUBLIC_DIR } from './paths.js';
import { createDecisionLog, type DecisionObserver } from './policy/decision-log.js';
import { createAuthzUrl, type AuthzUrl } from './policy/authz-url.js';
import { DECISION_TIMEOUT_MS, type ChannelRule } from './policy/engine.js';
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
  /** The AUTHZ_URL client; default: built from config (absent when AUTHZ_URL is not set). */
  readonly authz?: AuthzUrl;
}

const PUSHER_JS_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('pusher-js/package.json')), 'dist/web');

function createIdentity(config: Config, clock: () => number): Identify {
  const { jwtSecret, jwksUrl, jwtIssuer, jwtAudience, identityUrl } = config.identity;
  const jwt = createJwtVerifier({ secret: jwtSecret, jwksUrl, issuer: jwtIssuer, audience: jwtAudience, clock });
  const forward = identityUrl === undefined ? undefined : createForwardAuth(identityUrl);
  return createIdentify({ ...(jwt ? { jwt } : {}), ...(forward ? { forward } : {}) });
}

export function createApp(deps: AppDeps): Express {
  const { config, logger, metrics } = deps;
  const clock = deps.clock ?? Date.now;
  const signer = createSigner(config.app, config.encryptionMasterKey);
  const decisionTimeoutMs = deps.decisionTimeoutMs ?? DECISION_TIMEOUT_MS;
  // The terminate route (DESIGN 11) calls authz?.forgetUser(userId) along with closing the connections.
  const authz = deps.authz ?? (config.authz && createAuthzUrl({ ...config.authz, timeoutMs: decisionTimeoutMs, clock }));
  const policy = {
    rules: deps.rules ?? channelRules,
    encryptionEnabled: signer.encryptionEnabled,
    decisionTimeoutMs,
    ...(authz ? { askApp: authz.ask } : {}),
  };
  // The console's feed is one more observer of every decision (only when CONSOLE_TOKEN is on).
  const feed = config.consoleToken === undefined ? undefined : createDecisionFeed();
  const onDecision = observeDecisions(logger, metrics?.recordAuthDecision, feed?.publish, deps.onDecision);
  const decisions = createDecisionLog({ logger, clock, onDecision });
  const authorizeChannel = createChannelAuthorizer({ signer, policy, explain: config.authExplain, decisions });

  const identify = createIdentity(config, clock);
  const failures = createTokenFailures({ clock }); // one count per address across every token route
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
      authorizeChannel,
      signer,
      decisions,
      corsOrigins: config.corsOrigins,
      rateLimitPerMinute: config.authRateLimitPerMinute,
      ...(metrics ? { onAnswered: metrics.observeAuthAnswer } : {}),
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
    const limit = authRateLimit(config.authRateLimitPerMinute); // a token issuer: as limited as auth
    if (limit.length > 0) app.post('/demo/login', ...limit);
    app.use(demoLoginRoutes({ jwt: { secret: jwtSecret, issuer: jwtIssuer, audience: jwtAudience }, clock }));
  }
  const forgetUser = (userId: string) => authz?.forgetUser(userId);
  const terminate = deps.publisher
    ? createUserTerminator({
        publisher: deps.publisher,
        logger,
        forgetUser,
        ...(deps.onUserTerminated ? { onUserTerminated: deps.onUserTerminated } : {}),
      })
    : undefined;
  if (config.demoLogin && deps.publisher && terminate) {
    app.use(demoSendRoutes({ identify, publisher: deps.publisher, policy, explain: config.authExplain }));
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
        explain: createExplain(policy),
        ...(deps.embeddedSnapshot ? { snapshot: deps.embeddedSnapshot } : {}),
        ...(terminate ? { terminateUser: terminate } : {}), // the same path as POST /users/:userId/terminate
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
  return app;
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
