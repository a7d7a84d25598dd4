/** GET /metrics: Prometheus text, optionally behind METRICS_TOKEN. */
import { Router } from 'express';
import { HttpError } from '../errors.js';
import { safeEqual } from '../pusher/signature.js';
import type { Metrics } from './metrics.js';

export function metricsRoute(metrics: Metrics, token: string | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (token !== undefined && !safeEqual(req.headers.authorization ?? '', `Bearer ${token}`)) {
      throw new HttpError('unauthenticated', 'Send the metrics token as a bearer token.');
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}
