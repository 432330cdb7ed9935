// Runs `prisma generate` without a native schema engine.
//
// The Prisma CLI looks for its native schema engine on every command and tries to download
// it when missing, even though `generate` never uses it. Pointing PRISMA_SCHEMA_ENGINE_BINARY
// at any existing file (here: the running node binary) satisfies that check. Migrations do
// not go through the CLI at all: see src/migrate.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const extraArgs = process.argv.slice(2);

const result = spawnSync(process.execPath, [prismaCli, 'generate', ...extraArgs], {
  cwd: repoRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});

process.exit(result.status ?? 1);
