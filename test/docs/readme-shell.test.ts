/**
 * The README's curl examples marked `<!-- runs-in-test -->` run, as written, against a real server
 * on port 0, with the shell variables the README names (BASE, TRIGGER_TOKEN) set for this server,
 * and print what the README says they print.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/server.js';
import { startTestServer } from '../helpers/server.js';
import { matchesStated, runnableBlocks, type ShellBlock } from '../helpers/readme-blocks.js';

const run = promisify(execFile); // async: the server answers from this same process
const README = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md');
const blocks = runnableBlocks(readFileSync(README, 'utf8'));

const stepEnd = (index: number) => `@@end of step ${index}@@`;

/** Runs the block in one bash (so variables carry from step to step) and returns each step's output. */
async function outputsOf(block: ShellBlock, env: Record<string, string>): Promise<string[]> {
  const script = [
    'set -euo pipefail',
    ...block.steps.map((step, index) => `${step.command}\nprintf '\\n%s\\n' '${stepEnd(index)}'`),
  ].join('\n');
  const { stdout } = await run('bash', ['-c', script], { env, timeout: 15_000 });
  let rest = stdout;
  return block.steps.map((_step, index) => {
    const end = rest.indexOf(`\n${stepEnd(index)}\n`);
    const output = rest.slice(0, end);
    rest = rest.slice(end + stepEnd(index).length + 2);
    return output.trim();
  });
}

describe('README shell examples', () => {
  let server: RunningServer;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    const token = server.config.triggerTokens[0];
    if (token === undefined) throw new Error('embedded mode generates a trigger token');
    env = { PATH: process.env.PATH ?? '/usr/bin:/bin', BASE: server.url, TRIGGER_TOKEN: token };
  });

  afterAll(async () => {
    await server.close();
  });

  it('marks the examples for auth, /trigger, /healthz and /pusher/config as runnable', () => {
    const commands = blocks.flatMap((block) => block.steps.map((step) => step.command)).join('\n');
    for (const route of ['/pusher/auth', '/trigger', '/healthz', '/pusher/config']) {
      expect(commands).toContain(`"$BASE${route}"`);
    }
    for (const block of blocks) expect(block.steps.some((step) => step.expected !== undefined)).toBe(true);
  });

  for (const block of blocks) {
    it(`runs the block at README line ${block.line} and prints what it states`, async () => {
      const outputs = await outputsOf(block, env);
      block.steps.forEach((step, index) => {
        if (step.expected === undefined) return;
        const output = outputs[index] ?? '';
        expect(matchesStated(output, step.expected), `${step.command}\nprinted: ${output}\nstated:  ${step.expected}`).toBe(true);
      });
    });
  }
});
