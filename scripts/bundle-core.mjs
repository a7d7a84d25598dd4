// prepack/postpack of the public packages: npm bundles only dependencies that sit as real folders in
// the package's own node_modules, and a workspace's are links at the root. So the shared
// @pusher-auth-server/pusher-core (built) is copied in before packing and removed after: each
// tarball installs on its own, with nothing to fetch from the registry.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';

const target = path.resolve('node_modules/@pusher-auth-server/pusher-core');
rmSync(target, { recursive: true, force: true });
if (!process.argv.includes('--clean')) {
  const core = path.resolve('../pusher-core');
  for (const entry of ['package.json', 'dist', 'README.md']) cpSync(path.join(core, entry), path.join(target, entry), { recursive: true });
}
