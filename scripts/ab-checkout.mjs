#!/usr/bin/env node
/**
 * `node scripts/ab-checkout.mjs <commit> <dir>`: another checkout for the A/B benches
 * (bench/ab.ts, bench/ab-fanout.ts), without a second install. A git worktree of <commit> at <dir>,
 * whose node_modules links every dependency of this checkout's, except the workspace packages
 * (@pusher-auth-server/*): those link to <dir>'s own packages/, so B runs B's code. (A symlink to
 * this node_modules would not do: its workspace links lead back to this checkout's packages.)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';

const [commit, target] = process.argv.slice(2);
if (!commit || !target) throw new Error('usage: node scripts/ab-checkout.mjs <commit> <dir>');
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.resolve(target);
const SCOPE = '@pusher-auth-server';

execFileSync('git', ['worktree', 'add', '--detach', dir, commit], { cwd: root, stdio: 'inherit' });
const modules = path.join(dir, 'node_modules');
mkdirSync(path.join(modules, SCOPE), { recursive: true });
for (const entry of readdirSync(path.join(root, 'node_modules'))) {
  if (entry !== SCOPE) symlinkSync(path.join(root, 'node_modules', entry), path.join(modules, entry));
}
for (const pkg of readdirSync(path.join(dir, 'packages'))) {
  symlinkSync(path.join(dir, 'packages', pkg), path.join(modules, SCOPE, pkg));
}
console.log(`${dir}: ${commit} with this checkout's dependencies and its own packages; remove with: git worktree remove --force ${dir}`);
