/** What operators need at 3 a.m., in one prom-client registry per server (never the global one). */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DecisionEvent } from '@pusher-auth-server/channel-auth';
import type { DeliveryOutcome, EmbeddedHooks } from '@pusher-auth-server/embedded';
import { HttpError } from '../errors.js';

/** What failed, as `pusher_upstream_errors_total{source}` names it. */
type UpstreamSource = 'pusher' | 'identity_url' | 'jwks' | 'rule' | 'authz_url';

/** The identity sources' 502s name what failed in `details.source` (src/auth/forward-auth.ts, jwt.ts). */
const IDENTITY_SOURCES: Readonly<Record<string, UpstreamSource>> = { IDENTITY_URL: 'identity_url', JWKS_URL: 'jwks' };

/** The upstream a failed identification names, or `undefined` when it is not an identity source's 502. */
function identitySourceOf(err: unknown): UpstreamSource | undefined {
  if (!(err instanceof HttpError) || err.code !== 'upstream_error') return undefined;
  const { details } = err;
  const source = typeof details === 'object' && details !== null && 'source' in details ? details.source : undefined;
  return typeof source === 'string' ? IDENTITY_SOURCES[source] : undefined;
}

export interface Metrics {
  readonly registry: Registry;
  /** Counts channel authorizations (sign-ins are not counted here); one that failed counts its rule or AUTHZ_URL as failing. */
  recordAuthDecision(event: DecisionEvent): void;
  /** Identifying a caller failed: an identity source's 502 counts against that source. */
  recordIdentifyFailure(err: unknown): void;
  /** An auth route answered: how long it took. */
  observeAuthLatency(route: 'channel' | 'user', seconds: number): void;
  /** A trigger route answered: its outcome, and a 502 counts as a Pusher-service failure. */
  observeTriggerAnswer(status: number): void;
  /** POST /users/:userId/terminate or the console's terminate answered: its outcome, and a 502 counts as a Pusher-service failure. */
  observeTerminateAnswer(status: number): void;
  /** An embedded webhook delivered, given up on after retries, retried, or dropped (queue full). */
  recordWebhookOutcome(outcome: DeliveryOutcome): void;
  /** Hooks that count the embedded server's traffic. */
  readonly embeddedHooks: EmbeddedHooks;
  /** Live gauges read from the embedded server at scrape time. */
  watchEmbedded(stats: () => EmbeddedStats): void;
}

/** The rule a decision names when AUTHZ_URL, not one of the app's rules, decided (or failed to). */
const AUTHZ_URL_RULE = 'AUTHZ_URL';

interface EmbeddedStats {
  connections: number;
  channels: number;
  presenceMembers: number;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const authDecisions = new Counter({
    name: 'pusher_auth_decisions_total',
    help: 'Channel authorization decisions by verdict, channel kind and deciding rule.',
    labelNames: ['verdict', 'kind', 'rule'] as const,
    registers,
  });
  const authLatency = new Histogram({
    name: 'pusher_auth_request_duration_seconds',
    help: 'Time to answer an auth request (channel or user), whatever the answer.',
    labelNames: ['route'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  // Label children bound once: the auth path then skips a label lookup per request.
  const latencyByRoute = { channel: authLatency.labels({ route: 'channel' }), user: authLatency.labels({ route: 'user' }) };
  const triggers = new Counter({ name: 'pusher_triggers_total', help: 'Triggers by outcome.', labelNames: ['outcome'] as const, registers });
  const terminations = new Counter({
    name: 'pusher_user_terminations_total',
    help: 'Terminations (POST /users/:userId/terminate and the console) by outcome.',
    labelNames: ['outcome'] as const,
    registers,
  });
  const upstreamErrors = new Counter<'source'>({
    name: 'pusher_upstream_errors_total',
    help: 'Failures by what failed: the Pusher service, IDENTITY_URL, JWKS_URL, a rule, AUTHZ_URL.',
    labelNames: ['source'] as const,
    registers,
  });
  const upstreamFailed = (source: UpstreamSource) => upstreamErrors.inc({ source });
  const webhookDeliveries = new Counter({
    name: 'pusher_embedded_webhook_deliveries_total',
    help: 'Embedded webhooks by final outcome: ok, failed (after retries) or dropped (queue full).',
    labelNames: ['outcome'] as const,
    registers,
  });
  const webhookRetries = new Counter({ name: 'pusher_embedded_webhook_retries_total', help: 'Embedded webhook retries.', registers });
  const messagesIn = new Counter({ name: 'pusher_embedded_messages_in_total', help: 'WebSocket messages received.', registers });
  const messagesOut = new Counter({ name: 'pusher_embedded_messages_out_total', help: 'WebSocket messages sent.', registers });
  const apiRequests = new Counter({
    name: 'pusher_embedded_api_requests_total',
    help: 'Embedded HTTP API requests by route (or refused/error) and status.',
    labelNames: ['route', 'status'] as const,
    registers,
  });
  const connectionsOpened = new Counter({ name: 'pusher_embedded_connections_opened_total', help: 'WebSocket connections opened.', registers });
  const slowConsumersClosed = new Counter({
    name: 'pusher_embedded_slow_consumers_closed_total',
    help: 'WebSocket connections closed with 4100 because their client left more than EMBEDDED_MAX_BUFFERED_BYTES unread.',
    registers,
  });
  // A route that asks the Pusher service: its outcome, and a 502 or 504 counts as that service failing.
  const pusherAnswer = (counter: Counter<'outcome'>) => (status: number) => {
    const upstream = status === 502 ? 'upstream_error' : status === 504 ? 'upstream_timeout' : undefined;
    counter.inc({ outcome: status < 300 ? 'ok' : (upstream ?? 'rejected') });
    if (upstream) upstreamFailed('pusher');
  };
  let embeddedStats: (() => EmbeddedStats) | undefined;
  // Read at scrape time, so these gauges cost nothing between scrapes.
  const liveGauge = (name: string, help: string, stat: keyof EmbeddedStats) =>
    new Gauge({
      name,
      help,
      registers,
      collect() {
        if (embeddedStats) this.set(embeddedStats()[stat]);
      },
    });
  liveGauge('pusher_embedded_connections', 'Open WebSocket connections.', 'connections');
  liveGauge('pusher_embedded_channels', 'Occupied channels.', 'channels');
  liveGauge('pusher_embedded_presence_members', 'Presence members, over all channels.', 'presenceMembers');

  return {
    registry,
    recordAuthDecision({ channel, verdict, kind, pattern }) {
      if (channel !== null) authDecisions.inc({ verdict, kind, rule: pattern ?? 'none' });
      if (verdict === 'error') upstreamFailed(pattern === AUTHZ_URL_RULE ? 'authz_url' : 'rule');
    },
    recordIdentifyFailure(err) {
      const source = identitySourceOf(err);
      if (source) upstreamFailed(source);
    },
    observeAuthLatency(route, seconds) {
      latencyByRoute[route].observe(seconds);
    },
    observeTriggerAnswer: pusherAnswer(triggers),
    observeTerminateAnswer: pusherAnswer(terminations),
    recordWebhookOutcome(outcome) {
      if (outcome === 'retry') webhookRetries.inc();
      else webhookDeliveries.inc({ outcome });
    },
    embeddedHooks: {
      onConnectionOpened: () => connectionsOpened.inc(),
      onMessageIn: () => messagesIn.inc(),
      onMessageOut: (count) => messagesOut.inc(count),
      onApiRequest: ({ route, status }) => apiRequests.inc({ route, status }),
      onSlowConsumerClosed: () => slowConsumersClosed.inc(),
    },
    watchEmbedded(stats) {
      embeddedStats = stats;
    },
  };
}
