/** GET /metrics: Prometheus text, optionally behind METRICS_TOKEN. */
import { Router } from 'express';
import { HttpError } from '../errors.js';
import { bearerToken, createTokenCheck } from '../http/bearer.js';
import type { Metrics } from './metrics.js';

export function metricsRoute(metrics: Metrics, token: string | undefined): Router {
  const router = Router();
  const isAccepted = token === undefined ? undefined : createTokenCheck([token]);
  router.get('/metrics', async (req, res) => {
    const presented = bearerToken(req.headers.authorization);
    if (isAccepted && !(presented !== undefined && isAccepted(presented))) {
      throw new HttpError('unauthenticated', 'Send the metrics token as a bearer token.');
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
