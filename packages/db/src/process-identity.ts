import { readFileSync } from 'node:fs';

/**
 * A process as other processes can recognise it later: its pid plus, on Linux, its start
 * time, so that a pid reused by an unrelated process after a crash is not taken for the
 * original owner.
 */
export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat); 0 when unknown. */
  startTime: number;
}

/** Reads a process's start time, or 0 where /proc is not available. */
export function processStartTime(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return 0;
  }

  // The command name (field 2) is in parentheses and may itself hold spaces and ')'.
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const startTime = Number(afterName[19]);
  return Number.isFinite(startTime) ? startTime : 0;
}

export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, startTime: processStartTime(process.pid) };
}

/** Whether the process is still running and is the one that was recorded. */
export function isProcessAlive(identity: ProcessIdentity): boolean {
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }

  if (identity.startTime === 0) return true;
  const startTime = processStartTime(identity.pid);
  return startTime === 0 || startTime === identity.startTime;
}
