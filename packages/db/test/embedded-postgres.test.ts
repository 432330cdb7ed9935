import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, openDatabaseServer } from '../src/database.js';
import { acquireEmbeddedPostgres } from '../src/embedded-postgres.js';
import { deployMigrations } from '../src/migrate.js';
import { freshDatabaseName, temporaryFolder } from './helpers.js';

const fixture = fileURLToPath(new URL('./fixtures/second-process.mjs', import.meta.url));

interface ChildReport {
  started: boolean;
  emails: string[];
}

/** Runs the second process and resolves with its report once it has printed it. */
function startChild(home: string, database: string, ending: 'close' | 'exit' | 'hold' | 'drain') {
  const child = spawn(process.execPath, [fixture, home, database, ending], {
    env: { ...process.env, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  const report = new Promise<ChildReport>((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(JSON.parse(String(chunk)) as ChildReport));
    child.once('exit', (code) =>
      reject(new Error(`second process exited (${code}) early:\n${stderr}`)),
    );
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const lines = () => stdout.trim().split('\n');
  return { child, report, exited, lines };
}

/** A migrated database in the test home; the server is stopped again afterwards. */
async function migratedDatabase(): Promise<string> {
  const database = freshDatabaseName('shared');
  const server = await openDatabaseServer({ home, database });
  try {
    await deployMigrations({ url: server.url });
  } finally {
    await server.close();
  }
  return database;
}

function postmasterRunning(home: string): boolean {
  return existsSync(join(home, 'postgres', 'data', 'postmaster.pid'));
}

// These tests need a server nobody else holds: their own JetLens home, not the shared one.
// The cluster is made once (initdb is the slow part); each test starts from a stopped server
// and uses its own database.
let home: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  home = temporaryFolder('jetlens-home');
  await (await acquireEmbeddedPostgres({ home, durable: false })).release();
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  // Stop whatever a failed test left running.
  if (postmasterRunning(home)) await (await acquireEmbeddedPostgres({ home })).release();
});

afterAll(() => {
  rmSync(home, { recursive: true, force: true });
});

describe('the embedded PostgreSQL shared by two processes', () => {
  it('lets a second process attach while the first uses it; the last user stops it', async () => {
    const database = await migratedDatabase();
    const first = await acquireEmbeddedPostgres({ home });
    const db = await openDatabase({ home, database });
    await db.prisma.user.create({ data: { email: 'parent@example.org', name: 'Parent' } });

    const second = startChild(home, database, 'close');
    children.push(second.child);
    const report = await second.report;

    expect(first.started).toBe(true);
    expect(report.started).toBe(false);
    expect(report.emails).toContain('parent@example.org');
    expect(await second.exited).toBe(0);
    expect(postmasterRunning(home)).toBe(true);
    const emails = (await db.prisma.user.findMany()).map((u) => u.email);
    expect(emails).toHaveLength(2);
    expect(emails).toContain('parent@example.org');

    await db.close();
    expect(await first.release()).toEqual({ stopped: true });
    expect(postmasterRunning(home)).toBe(false);

    // The cluster comes back from a clean shutdown, with both processes' rows.
    const again = await openDatabase({ home, database });
    try {
      expect(await again.prisma.user.count()).toBe(2);
    } finally {
      await again.close();
    }
    // Signs of a crash or of damage in the server log (listed, so a failure shows them).
    const log = readFileSync(join(home, 'postgres', 'server.log'), 'utf8').split('\n');
    const damage = /not properly shut down|was interrupted|automatic recovery|PANIC|invalid page/;
    expect(log.some((line) => /database system was shut down at/.test(line))).toBe(true);
    expect(log.filter((line) => damage.test(line))).toEqual([]);
  });

  it('keeps the server for the others when its starter leaves on SIGTERM', async () => {
    const database = await migratedDatabase();
    const starter = startChild(home, database, 'hold');
    children.push(starter.child);
    expect((await starter.report).started).toBe(true);
    const db = await openDatabase({ home, database });

    starter.child.kill('SIGTERM');
    await starter.exited;

    expect(starter.child.signalCode).toBe('SIGTERM');
    expect(postmasterRunning(home)).toBe(true);
    expect(await db.prisma.user.count()).toBe(1);
    await db.close();
    expect(postmasterRunning(home)).toBe(false);
  });

  it('leaves the server up while a program that handles SIGTERM drains', async () => {
    const database = await migratedDatabase();
    const only = startChild(home, database, 'drain');
    children.push(only.child);
    await only.report;

    only.child.kill('SIGTERM');

    expect(await only.exited).toBe(0);
    expect(JSON.parse(only.lines()[1] ?? 'null')).toEqual({ usersAfterSignal: 1 });
    expect(postmasterRunning(home)).toBe(false);
  });

  it('stops the server at exit when the last user exits without closing', async () => {
    const database = await migratedDatabase();
    const only = startChild(home, database, 'exit');
    children.push(only.child);

    expect((await only.report).started).toBe(true);
    expect(await only.exited).toBe(0);
    expect(postmasterRunning(home)).toBe(false);
  });

  it('stops the server when its only user leaves on SIGTERM', async () => {
    const database = await migratedDatabase();
    const only = startChild(home, database, 'hold');
    children.push(only.child);
    await only.report;

    only.child.kill('SIGTERM');
    await only.exited;

    expect(postmasterRunning(home)).toBe(false);
  });

  it('drops the lease of a killed process; the next user to leave stops the server', async () => {
    const database = await migratedDatabase();
    const killed = startChild(home, database, 'hold');
    children.push(killed.child);
    await killed.report;
    killed.child.kill('SIGKILL');
    await killed.exited;
    expect(readdirSync(join(home, 'postgres', 'leases'))).toHaveLength(2);

    const next = await acquireEmbeddedPostgres({ home });

    expect(next.started).toBe(false);
    expect(await next.release()).toEqual({ stopped: true });
    expect(readdirSync(join(home, 'postgres', 'leases'))).toEqual([]);
  });

  it('starts despite a postmaster.pid left behind whose pid now belongs to another process', async () => {
    const pidFile = join(home, 'postgres', 'data', 'postmaster.pid');
    const data = join(home, 'postgres', 'data');
    // As after a reboot: the pid is alive (this very process) but is no PostgreSQL server.
    writeFileSync(pidFile, `${process.pid}\n${data}\n0\n5432\n\n127.0.0.1\n0 0\nready   \n`);

    const server = await acquireEmbeddedPostgres({ home });

    expect(server.started).toBe(true);
    expect(server.port).not.toBe(5432);
    expect(await server.release()).toEqual({ stopped: true });
  });

  it('lets two processes that start at the same moment share one server', async () => {
    const database = await migratedDatabase();
    const a = startChild(home, database, 'close');
    const b = startChild(home, database, 'close');
    children.push(a.child, b.child);

    const reports = await Promise.all([a.report, b.report]);

    expect(reports.map((r) => r.started).sort()).toEqual([false, true]);
    expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
    expect(postmasterRunning(home)).toBe(false);
  });
});

describe('acquireEmbeddedPostgres: BAD CALLS and bad state', () => {
  it('rejects a bad port or home', async () => {
    await expect(acquireEmbeddedPostgres({ port: 0 })).rejects.toThrow(RangeError);
    await expect(acquireEmbeddedPostgres({ home: '' })).rejects.toThrow(
      /options.home must be a non-empty string/,
    );
  });

  it('refuses a data folder that holds something other than a cluster', async () => {
    const home = temporaryFolder('jetlens-home');
    const data = join(home, 'postgres', 'data');
    await import('node:fs/promises').then((fs) => fs.mkdir(data, { recursive: true }));
    writeFileSync(join(data, 'notes.txt'), 'not a cluster');

    try {
      await expect(acquireEmbeddedPostgres({ home })).rejects.toThrow(
        /data is not empty but holds no PostgreSQL cluster \(PG_VERSION is missing\)/,
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
