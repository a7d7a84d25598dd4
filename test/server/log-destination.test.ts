/**
 * The server's default log destination writes stdout asynchronously: every line still arrives,
 * those written just before `process.exit` included, and a line on a quiet server is written at
 * once rather than held for company.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { withTimeout } from '../helpers/wait.js';

const LOGGER = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/logger.ts')).href;
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const dir = mkdtempSync(path.join(os.tmpdir(), 'log-destination-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` (after `logger` is made with the default destination) in a child; its stdout as it comes. */
function runWithLogger(name: string, body: string) {
  const file = path.join(dir, `${name}.ts`);
  writeFileSync(file, `import { createLogger } from '${LOGGER}';\nconst logger = createLogger('info');\n${body}\n`);
  const child = spawn(process.execPath, ['--import', TSX_LOADER, file], { stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  const lines = () => stdout.split('\n').filter((line) => line.startsWith('{'));
  const changed: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const wake of changed.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const until = async (done: (lines: string[]) => boolean) => {
    while (!done(lines())) await new Promise<void>((resolve) => changed.push(resolve));
  };
  return { child, lines, exited, until };
}

describe('the default log destination', () => {
  it('delivers every line written just before process.exit', async () => {
    const run = runWithLogger('burst', `for (let i = 0; i < 5000; i += 1) logger.info({ i }, 'decision');\nprocess.exit(0);`);
    expect(await withTimeout(run.exited, 20_000, 'the child to exit')).toBe(0);
    const numbers = run.lines().map((line) => (JSON.parse(line) as { i: number }).i);
    expect(numbers).toEqual(Array.from({ length: 5000 }, (_, i) => i));
  });

  it('writes a line on a quiet server at once, without waiting for more or for exit', async () => {
    const run = runWithLogger('quiet', `logger.info('alone');\nprocess.stdin.resume();\nprocess.stdin.on('end', () => process.exit(0));`);
    await withTimeout(
      run.until((lines) => lines.length === 1),
      10_000,
      'the lone line',
    );
    expect(JSON.parse(run.lines()[0] ?? '{}')).toMatchObject({ msg: 'alone', level: 30 });
    expect(run.child.exitCode).toBeNull();
    run.child.stdin.end();
    expect(await withTimeout(run.exited, 10_000, 'the child to exit')).toBe(0);
  });
});
