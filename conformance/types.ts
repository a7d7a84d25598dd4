/** The conformance kit's public types. */

export interface ConformanceTarget {
  host: string;
  port: number;
  appId: string;
  key: string;
  secret: string;
  /** wss/https instead of ws/http. Default false. */
  useTLS?: boolean;
  /** For private-encrypted channels; a random one is generated when absent (the server never needs it). */
  encryptionMasterKeyBase64?: string;
  /** Every wait of every check. Default 5000 ms. */
  timeoutMs?: number;
}

export interface CheckResult {
  readonly name: string;
  readonly passed: boolean;
  readonly reason?: string;
  readonly ms: number;
}

export interface ConformanceReport {
  readonly results: readonly CheckResult[];
  readonly passed: number;
  readonly failed: number;
}

export interface ConformanceOptions {
  /** Receives one `PASS <name>` / `FAIL <name>: reason` line per check, then the summary line. */
  log?: (line: string) => void;
  /** Run only the checks whose name includes one of these strings. */
  only?: readonly string[];
}
