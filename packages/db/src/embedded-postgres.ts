import { execFile, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { acquireFileLock, acquireFileLockSync } from './file-lock.js';
import { jetlensHome } from './paths.js';
import {
  findPostgresBinaries,
  type PostgresAccount,
  type PostgresBinaries,
  postgresAccount,
} from './postgres-binaries.js';
import { currentProcess, isProcessAlive } from './process-identity.js';

/*
 * The embedded PostgreSQL: one server per JetLens home, shared by every process using it.
 *
 * Layout of <home>/postgres:
 *   data/        the cluster (PGDATA), created by initdb on first use
 *   password     the superuser's password (mode 0600)
 *   server.log   the server's log
 *   lock         a file lock that serialises start, attach and stop
 *   leases/      one file per open lease, named <pid>-<process start time>-<random>
 *
 * Sharing. The server runs detached from every JetLens process (pg_ctl in its own session),
 * so no single process owns it and Ctrl-C in one terminal does not take it down. A process
 * that wants the database takes the lock, starts the server unless postmaster.pid shows a
 * live one (then it attaches: the port is in postmaster.pid), writes its lease and lets the
 * lock go. Leaving is the same under the lock: remove the lease, drop the leases of dead
 * processes, and stop the server (fast shutdown: a clean checkpoint) when none is left. The
 * last user out turns off the light, whichever process started it.
 *
 * Crashes. Leases are released on close(), at process exit, and on SIGINT, SIGTERM and SIGHUP
 * when the program does not handle the signal itself.
 * A process killed outright (SIGKILL) leaves a lease whose pid is dead; the next process to
 * come or go drops it. If that process was the last user, the server keeps running until the
 * next user comes and goes. PostgreSQL itself guarantees that only one postmaster runs per
 * data folder and recovers from its write-ahead log after a crash, so no sequence of events
 * here can run two servers on one cluster.
 */

const superuser = 'jetlens';

export interface EmbeddedPostgresOptions {
  /** JetLens home; the cluster lives in <home>/postgres. Default: jetlensHome(). */
  home?: string;
  /** Port for a server this call starts; default: a free port. Ignored when attaching. */
  port?: number;
  /**
   * Only when this call creates the cluster: false makes a throw-away cluster that skips
   * fsync (initdb --no-sync; fsync, synchronous_commit and full_page_writes off), several
   * times faster on a busy disk and lost on a power cut. For tests. Default true.
   */
  durable?: boolean;
  /** Receives progress messages (initdb, start, stop). */
  log?: (message: string) => void;
}

/** One process's claim on the embedded server; the server runs while any claim is open. */
export interface EmbeddedPostgres {
  readonly home: string;
  readonly port: number;
  /** Whether this call started the server (false: it attached to a running one). */
  readonly started: boolean;
  /** Connection URL for a database of this server. */
  url(database?: string): string;
  /** Gives the claim back; resolves to whether this stopped the server (it was the last). */
  release(): Promise<{ stopped: boolean }>;
}

interface ClusterLayout {
  root: string;
  data: string;
  password: string;
  log: string;
  lock: string;
  leases: string;
}

function clusterLayout(home: string): ClusterLayout {
  const root = join(home, 'postgres');
  return {
    root,
    data: join(root, 'data'),
    password: join(root, 'password'),
    log: join(root, 'server.log'),
    lock: join(root, 'lock'),
    leases: join(root, 'leases'),
  };
}

function runProgram(
  file: string,
  args: string[],
  account: PostgresAccount | undefined,
): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    // detached: pg_ctl and the postmaster it forks get their own session, away from the
    // terminal's signals (Ctrl-C) aimed at our process group.
    const options = { detached: true, uid: account?.uid, gid: account?.gid, encoding: 'utf8' };
    execFile(file, args, options, (error, stdout, stderr) => {
      resolve({ ok: error === null, output: `${stdout}${stderr}`.trim() });
    });
  });
}

function logTail(layout: ClusterLayout, lines = 15): string {
  try {
    return readFileSync(layout.log, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no server log)';
  }
}

function giveToAccount(path: string, account: PostgresAccount | undefined): void {
  if (account !== undefined) chownSync(path, account.uid, account.gid);
}

/** Settings of a throw-away cluster: durability traded for speed. */
const nonDurableSettings = `
# A throw-away cluster (made with durable: false): nothing is flushed to disk, so a crash of
# the machine can lose or corrupt it.
fsync = off
synchronous_commit = off
full_page_writes = off
`;

async function initialise(
  layout: ClusterLayout,
  binaries: PostgresBinaries,
  account: PostgresAccount | undefined,
  durable: boolean,
  log: (message: string) => void,
): Promise<void> {
  if (existsSync(layout.data) && readdirSync(layout.data).length > 0) {
    throw new Error(
      `${layout.data} is not empty but holds no PostgreSQL cluster (PG_VERSION is missing). ` +
        'Move it away to let JetLens create a new cluster there.',
    );
  }

  log(`Creating the embedded PostgreSQL cluster in ${layout.data}`);
  mkdirSync(layout.data, { recursive: true, mode: 0o700 });
  giveToAccount(layout.data, account);
  writeFileSync(layout.password, randomBytes(18).toString('base64url'), { mode: 0o600 });

  // initdb reads the password from a file that the server's account must be able to read.
  const passwordFile = join(layout.root, `initdb-password-${process.pid}`);
  writeFileSync(passwordFile, readFileSync(layout.password), { mode: 0o600 });
  giveToAccount(passwordFile, account);
  const result = await runProgram(
    binaries.initdb,
    [
      `--pgdata=${layout.data}`,
      `--username=${superuser}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
      ...(durable ? [] : ['--no-sync']),
    ],
    account,
  );
  rmSync(passwordFile, { force: true });

  if (!result.ok) {
    rmSync(layout.data, { recursive: true, force: true });
    throw new Error(`initdb failed for ${layout.data}:\n${result.output}`);
  }
  if (!durable) appendFileSync(join(layout.data, 'postgresql.conf'), nonDurableSettings);
}

interface RunningServer {
  pid: number;
  port: number;
  status: string;
}

/** Reads postmaster.pid: line 1 is the pid, 4 the port, 8 the status ("ready", ...). */
function readPostmaster(layout: ClusterLayout): RunningServer | undefined {
  let text: string;
  try {
    text = readFileSync(join(layout.data, 'postmaster.pid'), 'utf8');
  } catch {
    return undefined;
  }

  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  if (!isProcessAlive({ pid, startTime: 0 }) || !isPostmasterOf(pid, layout)) return undefined;
  return { pid, port, status: (lines[7] ?? '').trim() };
}

/**
 * Whether `pid` is a postmaster serving this data folder. After a reboot, a postmaster.pid
 * left behind can name a pid that now belongs to some other process; on Linux its command
 * line tells them apart (a postmaster runs as `postgres -D <data> ...`). Elsewhere a live pid
 * has to do.
 */
function isPostmasterOf(pid: number, layout: ClusterLayout): boolean {
  let commandLine: string;
  try {
    commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return process.platform !== 'linux';
  }
  return commandLine.split('\0').includes(layout.data);
}

/**
 * Removes a postmaster.pid whose pid is not a postmaster of this cluster, which PostgreSQL
 * would otherwise take for a running server and refuse to start. Called under the lock, after
 * readPostmaster found no live server.
 */
function removeStalePostmasterPid(layout: ClusterLayout, log: (message: string) => void): void {
  const path = join(layout.data, 'postmaster.pid');
  if (!existsSync(path)) return;
  const pid = Number(readFileSync(path, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive({ pid, startTime: 0 })) return;
  if (isPostmasterOf(pid, layout)) return;
  log(`Removing ${path}: its pid ${pid} is not a PostgreSQL server of this cluster`);
  rmSync(path, { force: true });
}

async function waitForReady(
  layout: ClusterLayout,
  timeoutMs = 60_000,
): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const server = readPostmaster(layout);
    if (server === undefined) return undefined;
    if (server.status === 'ready') return server.port;
    if (Date.now() > deadline) {
      throw new Error(
        `The PostgreSQL server in ${layout.data} (pid ${server.pid}) stayed "${server.status}" ` +
          `for ${timeoutMs} ms.\n${logTail(layout)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function checkMajorVersion(layout: ClusterLayout, binaries: PostgresBinaries): void {
  const clusterVersion = readFileSync(join(layout.data, 'PG_VERSION'), 'utf8').trim();
  const banner = spawnSync(binaries.postgres, ['--version'], { encoding: 'utf8' }).stdout ?? '';
  const binaryVersion = /(\d+)(?:\.\d+)*/.exec(banner)?.[1];
  if (binaryVersion !== undefined && binaryVersion !== clusterVersion) {
    throw new Error(
      `The cluster in ${layout.data} was made by PostgreSQL ${clusterVersion}, but the ` +
        `embedded binaries are PostgreSQL ${binaryVersion}. Dump it with pg_dump from ` +
        `PostgreSQL ${clusterVersion}, or move the folder away to start afresh.`,
    );
  }
}

async function startServer(
  layout: ClusterLayout,
  binaries: PostgresBinaries,
  account: PostgresAccount | undefined,
  requestedPort: number | undefined,
  log: (message: string) => void,
): Promise<number> {
  checkMajorVersion(layout, binaries);
  if (!existsSync(layout.log)) writeFileSync(layout.log, '');
  giveToAccount(layout.log, account);

  // A free port can be taken by someone else before the server binds it; try a few.
  const attempts = requestedPort === undefined ? 3 : 1;
  let lastOutput = '';
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = requestedPort ?? (await freePort());
    log(`Starting the embedded PostgreSQL on port ${port}`);
    const serverFlags = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=''`;
    const args = ['start', '-w', '-t', '60', '-D', layout.data, '-l', layout.log];
    const result = await runProgram(binaries.pg_ctl, [...args, '-o', serverFlags], account);
    if (result.ok) return port;
    lastOutput = `${result.output}\n${logTail(layout)}`;
  }
  throw new Error(`Could not start PostgreSQL in ${layout.data}:\n${lastOutput}`);
}

function stopArgs(layout: ClusterLayout): string[] {
  return ['stop', '-w', '-t', '60', '-m', 'fast', '-D', layout.data];
}

function leaseIsAlive(name: string): boolean {
  const [pid, startTime] = name.split('-').map(Number);
  if (pid === undefined || startTime === undefined || !Number.isInteger(pid)) return false;
  return isProcessAlive({ pid, startTime });
}

/** The leases of live processes; those of dead processes are removed on the way. */
function liveLeases(layout: ClusterLayout): string[] {
  const live: string[] = [];
  for (const name of readdirSync(layout.leases)) {
    if (leaseIsAlive(name)) {
      live.push(name);
    } else {
      rmSync(join(layout.leases, name), { force: true });
    }
  }
  return live;
}

function writeLease(layout: ClusterLayout): string {
  const me = currentProcess();
  const path = join(layout.leases, `${me.pid}-${me.startTime}-${randomBytes(6).toString('hex')}`);
  writeFileSync(path, '');
  return path;
}

async function checkConnection(url: string, layout: ClusterLayout): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error(
      `The PostgreSQL server in ${layout.data} does not answer at ` +
        `${url.replace(/:[^:@/]*@/, ':***@')}: ` +
        `${(error as Error).message}`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

// ---------------------------------------------------------------------------------------------
// Releasing at exit
// ---------------------------------------------------------------------------------------------

interface OpenLease {
  layout: ClusterLayout;
  leasePath: string;
  binaries: PostgresBinaries;
  account: PostgresAccount | undefined;
}

const openLeases = new Set<OpenLease>();
const exitSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function releaseSync(lease: OpenLease): void {
  openLeases.delete(lease);
  const lock = acquireFileLockSync(lease.layout.lock, { timeoutMs: 10_000 });
  try {
    rmSync(lease.leasePath, { force: true });
    if (liveLeases(lease.layout).length > 0 || readPostmaster(lease.layout) === undefined) return;
    spawnSync(lease.binaries.pg_ctl, stopArgs(lease.layout), {
      uid: lease.account?.uid,
      gid: lease.account?.gid,
      stdio: 'ignore',
    });
  } finally {
    lock.release();
  }
}

function releaseAllSync(): void {
  for (const lease of [...openLeases]) {
    try {
      releaseSync(lease);
    } catch {
      // At exit there is no one left to tell; the next user drops a lease left behind.
    }
  }
}

/*
 * On a signal, act only when no one else listens: then the process would have died of it,
 * so release and die of it. When the program handles the signal itself (a server draining its
 * work, say), the database must stay up until the program closes it or exits.
 */
function onExitSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;

  releaseAllSync();
  unwatchExit();
  process.kill(process.pid, signal);
}

function watchExit(): void {
  if (openLeases.size !== 1) return;
  process.on('exit', releaseAllSync);
  for (const signal of exitSignals) process.on(signal, onExitSignal);
}

function unwatchExit(): void {
  if (openLeases.size !== 0) return;
  process.off('exit', releaseAllSync);
  for (const signal of exitSignals) process.off(signal, onExitSignal);
}

// ---------------------------------------------------------------------------------------------

function checkOptions(options: EmbeddedPostgresOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
  const { home, port, durable } = options;
  if (durable !== undefined && typeof durable !== 'boolean') {
    throw new TypeError(`options.durable must be a boolean, got ${typeof durable}`);
  }
  if (home !== undefined && (typeof home !== 'string' || home === '')) {
    throw new TypeError(`options.home must be a non-empty string, got ${JSON.stringify(home)}`);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) {
    throw new RangeError(`options.port must be an integer in 1..65535, got ${port}`);
  }
}

/** Starts the embedded PostgreSQL of a JetLens home, or attaches to it when it runs. */
export async function acquireEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  checkOptions(options);
  // Absolute, so that the data folder reads the same in postmaster command lines.
  const home = resolve(options.home ?? jetlensHome());
  const log = options.log ?? (() => undefined);
  const layout = clusterLayout(home);
  const binaries = await findPostgresBinaries();
  const account = postgresAccount();
  mkdirSync(layout.leases, { recursive: true });

  let port: number | undefined;
  let started = false;
  let leasePath: string;
  const lock = await acquireFileLock(layout.lock, { timeoutMs: 120_000 });
  try {
    if (!existsSync(join(layout.data, 'PG_VERSION'))) {
      await initialise(layout, binaries, account, options.durable ?? true, log);
    }

    port = await waitForReady(layout);
    if (port === undefined) {
      removeStalePostmasterPid(layout, log);
      port = await startServer(layout, binaries, account, options.port, log);
      started = true;
    }
    leasePath = writeLease(layout);
  } finally {
    lock.release();
  }

  const lease: OpenLease = { layout, leasePath, binaries, account };
  openLeases.add(lease);
  watchExit();

  const password = encodeURIComponent(readFileSync(layout.password, 'utf8').trim());
  const serverPort = port;
  const url = (database = 'postgres') =>
    `postgresql://${superuser}:${password}@127.0.0.1:${serverPort}/${encodeURIComponent(database)}`;

  let released: Promise<{ stopped: boolean }> | undefined;
  const release = () => {
    released ??= releaseLease(lease, log);
    return released;
  };

  try {
    await checkConnection(url(), layout);
  } catch (error) {
    await release();
    throw error;
  }
  return { home, port: serverPort, started, url, release };
}

async function releaseLease(
  lease: OpenLease,
  log: (message: string) => void,
): Promise<{ stopped: boolean }> {
  openLeases.delete(lease);
  unwatchExit();

  const { layout } = lease;
  const lock = await acquireFileLock(layout.lock, { timeoutMs: 120_000 });
  try {
    rmSync(lease.leasePath, { force: true });
    if (liveLeases(layout).length > 0 || readPostmaster(layout) === undefined) {
      return { stopped: false };
    }

    log('Stopping the embedded PostgreSQL (last user left)');
    const result = await runProgram(lease.binaries.pg_ctl, stopArgs(layout), lease.account);
    if (!result.ok) {
      throw new Error(`Could not stop PostgreSQL in ${layout.data}:\n${result.output}`);
    }
    return { stopped: true };
  } finally {
    lock.release();
  }
}
