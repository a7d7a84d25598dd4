/**
 * npx tsx conformance/cli.ts --host H --port P --app-id A --key K --secret S
 *   [--tls] [--encryption-master-key B64] [--timeout MS] [--only TEXT]...
 * Prints one PASS/FAIL line per check and `N passed, N failed`; exits 1 when any check fails.
 */
import { parseArgs } from 'node:util';
import { runConformance } from './run.js';

const USAGE = 'usage: conformance --host H --port P --app-id A --key K --secret S [--tls] [--encryption-master-key B64] [--timeout MS] [--only TEXT]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      'app-id': { type: 'string' },
      key: { type: 'string' },
      secret: { type: 'string' },
      tls: { type: 'boolean', default: false },
      'encryption-master-key': { type: 'string' },
      timeout: { type: 'string' },
      only: { type: 'string', multiple: true },
      help: { type: 'boolean', default: false },
    },
  });
  const port = Number(values.port);
  if (values.help || !Number.isInteger(port) || !values['app-id'] || !values.key || !values.secret) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  const report = await runConformance(
    {
      host: values.host ?? '127.0.0.1',
      port,
      appId: values['app-id'],
      key: values.key,
      secret: values.secret,
      useTLS: values.tls ?? false,
      ...(values['encryption-master-key'] ? { encryptionMasterKeyBase64: values['encryption-master-key'] } : {}),
      ...(values.timeout ? { timeoutMs: Number(values.timeout) } : {}),
    },
    { log: (line) => process.stdout.write(`${line}\n`), only: values.only ?? [] },
  );
  return report.failed === 0 && report.passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`conformance: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
