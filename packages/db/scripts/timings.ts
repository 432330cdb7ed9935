// Times the embedded PostgreSQL and the migrations on this machine, in a throw-away JetLens
// home: cold start (initdb + start), attach, stop, warm start, and applying the migrations.
// Usage (after a build): node scripts/timings.ts [--durable]
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireEmbeddedPostgres, deployMigrations, openDatabaseServer } from '../dist/index.js';

const durable = process.argv.includes('--durable');
const home = mkdtempSync(join(tmpdir(), 'jetlens-timings-'));
chmodSync(home, 0o755);

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  process.stdout.write(`${label.padEnd(46)} ${(performance.now() - start).toFixed(0)} ms\n`);
  return result;
}

try {
  process.stdout.write(`cluster: ${durable ? 'durable' : 'throw-away (fsync off)'}\n`);
  const cold = await timed('cold start (initdb + start)', () =>
    acquireEmbeddedPostgres({ home, durable }),
  );
  const attached = await timed('attach to the running server', () =>
    acquireEmbeddedPostgres({ home }),
  );
  await attached.release();
  await timed('stop (last user leaves)', () => cold.release());
  const warm = await timed('warm start (cluster exists)', () => acquireEmbeddedPostgres({ home }));

  const server = await openDatabaseServer({ home, database: 'timings' });
  await timed('deploy the migrations on an empty database', () =>
    deployMigrations({ url: server.url }),
  );
  await timed('deploy again (nothing pending)', () => deployMigrations({ url: server.url }));
  await server.close();
  await warm.release();
} finally {
  rmSync(home, { recursive: true, force: true });
}
