import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';

/**
 * A mutex shared by the processes of one machine: a file created with O_EXCL that holds its
 * owner's identity (pid and start time). Only one process can create the file; the others
 * poll until it is removed. A lock whose owner has died is stale, and the next process that
 * wants it removes it, after checking that the file still holds the dead owner (so a lock
 * just taken by a live process is left alone; only two waiters breaking the same stale lock
 * within microseconds of each other could both proceed).
 */
export interface FileLock {
  readonly path: string;
  release(): void;
}

export interface FileLockOptions {
  /** Give up after this long, in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Poll interval, in milliseconds (default 25). */
  pollMs?: number;
}

type Attempt = { lock: FileLock } | { holder: ProcessIdentity | null };

function tryAcquire(path: string): Attempt {
  const me = currentProcess();
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { holder: readHolder(path) };
  }

  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  return { lock: { path, release: () => releaseIfMine(path, me) } };
}

function readHolder(path: string): ProcessIdentity | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<ProcessIdentity>;
    if (typeof parsed.pid !== 'number') return null;
    return { pid: parsed.pid, startTime: parsed.startTime ?? 0 };
  } catch {
    // Gone already, or caught between create and write: treat as held.
    return null;
  }
}

function sameProcess(a: ProcessIdentity | null, b: ProcessIdentity | null): boolean {
  return a !== null && b !== null && a.pid === b.pid && a.startTime === b.startTime;
}

function releaseIfMine(path: string, me: ProcessIdentity): void {
  if (!sameProcess(readHolder(path), me)) return;
  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/** A lock file nobody wrote an owner into for this long was left by a process that died. */
const unreadableStaleMs = 10_000;

function isUnreadableAndOld(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > unreadableStaleMs;
  } catch {
    return false;
  }
}

/** Removes the lock file when its holder is dead; returns whether it did. */
function breakIfStale(path: string, holder: ProcessIdentity | null): boolean {
  if (holder === null) {
    if (!isUnreadableAndOld(path)) return false;
  } else {
    if (isProcessAlive(holder)) return false;
    if (!sameProcess(readHolder(path), holder)) return false;
  }

  try {
    unlinkSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return true;
}

function timeoutError(path: string, holder: ProcessIdentity | null, timeoutMs: number): Error {
  const who = holder === null ? 'another process' : `process ${holder.pid}`;
  return new Error(
    `Timed out after ${timeoutMs} ms waiting for the lock ${path}, held by ${who}. ` +
      'If no JetLens process is running, remove the file.',
  );
}

function checkOptions(options: FileLockOptions): { timeoutMs: number; pollMs: number } {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 25;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new RangeError(`timeoutMs must be a non-negative number of ms, got ${timeoutMs}`);
  }
  if (!Number.isFinite(pollMs) || pollMs <= 0) {
    throw new RangeError(`pollMs must be a positive number of ms, got ${pollMs}`);
  }
  return { timeoutMs, pollMs };
}

/** Takes the lock at `path`, waiting for its holder to release it. */
export async function acquireFileLock(
  path: string,
  options: FileLockOptions = {},
): Promise<FileLock> {
  const { timeoutMs, pollMs } = checkOptions(options);
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    const attempt = tryAcquire(path);
    if ('lock' in attempt) return attempt.lock;
    if (breakIfStale(path, attempt.holder)) continue;
    if (Date.now() >= deadline) throw timeoutError(path, attempt.holder, timeoutMs);
    await sleep(pollMs);
  }
}

/**
 * Takes the lock without yielding to the event loop, for the one place that cannot await:
 * the process 'exit' handler.
 */
export function acquireFileLockSync(path: string, options: FileLockOptions = {}): FileLock {
  const { timeoutMs, pollMs } = checkOptions(options);
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));

  for (;;) {
    const attempt = tryAcquire(path);
    if ('lock' in attempt) return attempt.lock;
    if (breakIfStale(path, attempt.holder)) continue;
    if (Date.now() >= deadline) throw timeoutError(path, attempt.holder, timeoutMs);
    Atomics.wait(pause, 0, 0, pollMs);
  }
}
