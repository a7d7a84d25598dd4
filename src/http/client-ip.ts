/**
 * TRUST_PROXY: which hops in front of us may say who the client is (X-Forwarded-For). One trust
 * function serves Express (`req.ip`, so the rate limits) and anything outside Express that needs the
 * client's address (the embedded server's per-IP caps), so both see the same client.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr, { type Trust } from 'proxy-addr';

/** Off, every hop, a hop count, or addresses and subnets (and proxy-addr's names: loopback, ...). */
export type TrustProxy = boolean | number | readonly string[];

/** Express's own reading of its `trust proxy` setting, compiled once. */
export function trustFunction(setting: TrustProxy): Trust {
  if (setting === true) return () => true;
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_address, hop) => hop < setting;
  return proxyaddr.compile(setting);
}

/** The client's address as Express's `req.ip` reads it under the same setting. */
export function createClientIp(setting: TrustProxy): (req: IncomingMessage) => string {
  const trust = trustFunction(setting);
  return (req) => proxyaddr(req, trust);
}
