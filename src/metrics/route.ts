/** GET /metrics: Prometheus text, optionally behind METRICS_TOKEN. */
import { Router } from 'express';
import { HttpError } from '../errors.js';
import { bearerToken, createTokenCheck } from '../http/bearer.js';
import { tokenFailureLimit, type TokenFailures } from '../http/token-failures.js';
import type { Metrics } from './metrics.js';

export function metricsRoute(metrics: Metrics, token: string | undefined, failures: TokenFailures): Router {
  const router = Router();
  const isAccepted = token === undefined ? undefined : createTokenCheck([token]);
  router.get('/metrics', async (req, res) => {
    if (isAccepted) {
      const limited = tokenFailureLimit(failures, req, res);
      if (limited) throw limited;
      const presented = bearerToken(req.headers.authorization);
      if (presented === undefined || !isAccepted(presented)) {
        if (presented !== undefined) failures.record(req.ip ?? '');
        throw new HttpError('unauthenticated', 'Send the metrics token as a bearer token.');
      }
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
