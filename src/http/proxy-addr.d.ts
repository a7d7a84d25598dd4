/** The part of proxy-addr (Express's own dependency for `trust proxy`) that client-ip.ts uses; it ships no types. */
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';

  export type Trust = (address: string, hop: number) => boolean;
  function proxyaddr(req: IncomingMessage, trust: Trust): string;
  namespace proxyaddr {
    /** Throws a TypeError for an address or subnet it cannot read. */
    function compile(addresses: readonly string[]): Trust;
  }
  export default proxyaddr;
}
