import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { currentProcess, isProcessAlive, processStartTime } from '../src/process-identity.js';

describe('isProcessAlive', () => {
  it('knows the current process', () => {
    expect(isProcessAlive(currentProcess())).toBe(true);
  });

  it('knows a process that has exited', () => {
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    expect(isProcessAlive({ pid: Number(child.stdout), startTime: 0 })).toBe(false);
  });

  it.runIf(process.platform === 'linux')(
    'does not take a reused pid for the recorded process',
    () => {
      const me = currentProcess();
      expect(me.startTime).toBeGreaterThan(0);
      expect(processStartTime(process.pid)).toBe(me.startTime);

      expect(isProcessAlive({ pid: me.pid, startTime: me.startTime + 1 })).toBe(false);
    },
  );
});
