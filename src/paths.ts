/** Where the project's own files are, whether running from src/ (tsx, tests) or dist/src/ (npm start). */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function projectRoot(from: string): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the running file');
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = projectRoot(path.dirname(fileURLToPath(import.meta.url)));
export const PUBLIC_DIR = path.join(PROJECT_ROOT, 'public');
