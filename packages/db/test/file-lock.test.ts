import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireFileLock, acquireFileLockSync } from '../src/file-lock.js';
import { temporaryFolder } from './helpers.js';

/** The identity of a process that has exited (a short-lived child). */
function deadProcess(): { pid: number; startTime: number } {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return { pid: Number(child.stdout), startTime: 0 };
}

describe('acquireFileLock', () => {
  it('lets one holder in at a time, in order of release', async () => {
    const path = join(temporaryFolder('jetlens-lock'), 'lock');
    const events: string[] = [];

    const first = await acquireFileLock(path);
    const second = acquireFileLock(path, { pollMs: 5 }).then((lock) => {
      events.push('second in');
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    events.push('first out');
    first.release();
    (await second).release();

    expect(events).toEqual(['first out', 'second in']);
    expect(existsSync(path)).toBe(false);
  });

  it('records its holder, pid and start time', async () => {
    const path = join(temporaryFolder('jetlens-lock'), 'lock');

    const lock = await acquireFileLock(path);

    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('breaks a lock whose holder has died', async () => {
    const path = join(temporaryFolder('jetlens-lock'), 'lock');
    writeFileSync(path, JSON.stringify(deadProcess()));

    const lock = await acquireFileLock(path, { timeoutMs: 1000 });

    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it('times out on a live holder, naming the lock file and the holder', async () => {
    const path = join(temporaryFolder('jetlens-lock'), 'lock');
    const held = await acquireFileLock(path);

    try {
      await expect(acquireFileLock(path, { timeoutMs: 60 })).rejects.toThrow(
        new RegExp(
          `Timed out after 60 ms waiting for the lock ${path}, held by process ${process.pid}`,
        ),
      );
      expect(() => acquireFileLockSync(path, { timeoutMs: 30 })).toThrow(/Timed out after 30 ms/);
    } finally {
      held.release();
    }
  });

  it('does not release a lock that another holder took over', async () => {
    const path = join(temporaryFolder('jetlens-lock'), 'lock');
    const lock = await acquireFileLock(path);
    const other = JSON.stringify({ pid: process.ppid, startTime: 0 });
    writeFileSync(path, other);

    lock.release();

    expect(readFileSync(path, 'utf8')).toBe(other);
  });

  it('BAD CALL: rejects a negative timeout or a zero poll interval', async () => {
    const path = join(temporaryFolder('jetlens-lock'), 'lock');
    await expect(acquireFileLock(path, { timeoutMs: -1 })).rejects.toThrow(
      /timeoutMs must be a non-negative number of ms, got -1/,
    );
    expect(() => acquireFileLockSync(path, { pollMs: 0 })).toThrow(RangeError);
  });
});
