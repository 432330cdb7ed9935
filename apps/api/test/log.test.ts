import { describe, expect, it } from 'vitest';
import { createLogger, describeError, parseLogLevel } from '../src/log.js';

const at = () => new Date('2026-01-02T03:04:05Z');

describe('createLogger', () => {
  it('writes time, level and scope, and drops lines below the level', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'info', write: (line) => lines.push(line), now: at });
    log.debug('not shown');
    log.info('ready');
    log.child('worker').child('ingest').warn('file skipped');
    expect(lines).toEqual(['03:04:05 info  ready', '03:04:05 warn  worker.ingest: file skipped']);
  });
});

describe('parseLogLevel', () => {
  it('rejects an unknown level naming the source and the choices', () => {
    expect(() => parseLogLevel('loud', 'JETLENS_LOG_LEVEL')).toThrow(
      new RangeError('JETLENS_LOG_LEVEL: expected one of debug, info, warn, error, got "loud"'),
    );
  });
});

describe('describeError', () => {
  it('follows the cause chain', () => {
    const error = new Error('ingest failed', { cause: new RangeError('entry 3: bad branch') });
    expect(describeError(error)).toBe('ingest failed (caused by: entry 3: bad branch)');
    expect(describeError('plain')).toBe('plain');
    const repeated = new Error('a.root: truncated', { cause: new Error('a.root: truncated') });
    expect(describeError(repeated)).toBe('a.root: truncated');
  });
});
