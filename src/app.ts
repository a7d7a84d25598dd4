/** createApp(deps): the Express app. It never listens (see server.ts). */
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { createChannelAuthorizer, type AuthDecisionEvent } from './auth/authorize-channel.js';
import { demoLoginRoutes } from './auth/demo-login.js';
import { createForwardAuth } from './auth/forward-auth.js';
import { createIdentify, type Identify } from './auth/identify.js';
import { createJwtVerifier } from './auth/jwt.js';
import { authRoutes } from './auth/routes.js';
import { createSigner } from './auth/signer.js';
import { channelRules } from './channels.js';
import { clientConfig } from './client-config.js';
import type { Config } from './config.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { corsFor } from './http/cors.js';
import { securityHeaders } from './http/security.js';
import { PUBLIC_DIR } from './paths.js';
import type { Publisher } from './trigger/publisher.js';

export interface AppDeps {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock?: () => number;
  readonly onAuthDecision?: (event: AuthDecisionEvent) => void;
  /** Publishes for /trigger and /demo/send; absent, those routes are not mounted. */
  readonly publisher?: Publisher;
}

const PUSHER_JS_DIR = path.join(path.dirname(createRequire(import.meta.url).resolve('pusher-js/package.json')), 'dist/web');

export function createIdentity(config: Config, clock: () => number): Identify {
  const { jwtSecret, jwksUrl, jwtIssuer, jwtAudience, identityUrl } = config.identity;
  const jwt = createJwtVerifier({ secret: jwtSecret, jwksUrl, issuer: jwtIssuer, audience: jwtAudience, clock });
  const forward = identityUrl === undefined ? undefined : createForwardAuth(identityUrl);
  return createIdentify({ ...(jwt ? { jwt } : {}), ...(forward ? { forward } : {}) });
}

export function createApp(deps: AppDeps): Express {
  const { config, logger } = deps;
  const clock = deps.clock ?? Date.now;
  const signer = createSigner(config.app, config.encryptionMasterKey);
  const authorizeChannel = createChannelAuthorizer({
    signer,
    rules: channelRules,
    explain: config.authExplain,
    logger,
    ...(deps.onAuthDecision ? { onDecision: deps.onAuthDecision } : {}),
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders(config));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', mode: config.mode });
  });
  app.get('/pusher/config', ...corsFor(config.corsOrigins), (req, res) => {
    res.json(clientConfig(config, req));
  });
  app.use(
    authRoutes({
      identify: createIdentity(config, clock),
      authorizeChannel,
      signer,
      logger,
      corsOrigins: config.corsOrigins,
      rateLimitPerMinute: config.authRateLimitPerMinute,
    }),
  );
  if (config.demoLogin && config.identity.jwtSecret !== undefined) {
    const { jwtSecret, jwtIssuer, jwtAudience } = config.identity;
    app.use(demoLoginRoutes({ jwt: { secret: jwtSecret, issuer: jwtIssuer, audience: jwtAudience }, clock }));
  }
  app.use('/vendor/pusher-js', express.static(PUSHER_JS_DIR, { index: false }));
  app.use(express.static(PUBLIC_DIR));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
