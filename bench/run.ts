/**
 * `npm run bench -- NAME` runs bench/NAME/index.ts in a child process, so each benchmark has a
 * process of its own (fair memory figures) and the peer it spawns sits in the same tree.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

function available(): string[] {
  return readdirSync(here, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(here, entry.name, 'index.ts')))
    .map((entry) => entry.name)
    .sort();
}

const [name, ...args] = process.argv.slice(2);
const names = available();
if (!name || name === '--help' || name === '-h') {
  console.log(`usage: npm run bench -- NAME [args]\n\nbenchmarks: ${names.join(', ') || '(none)'}`);
  process.exit(0);
}
if (!names.includes(name)) {
  console.error(`unknown benchmark "${name}"; available: ${names.join(', ') || '(none)'}`);
  process.exit(2);
}

const tsx = join(here, '..', 'node_modules', '.bin', 'tsx');
const child = spawnSync(tsx, [join(here, name, 'index.ts'), ...args], { stdio: 'inherit' });
process.exit(child.status ?? 1);
