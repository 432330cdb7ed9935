/**
 * Human-readable log lines on stderr, so that stdout stays free for results (tables, JSON,
 * tokens) that scripts may capture. One line per event: time, level, scope, message.
 */

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** A logger whose lines carry `scope` (e.g. "worker", "ingest"). */
  child(scope: string): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  scope?: string;
  /** Where lines go; stderr unless given (tests pass an array's push). */
  write?: (line: string) => void;
  /** Clock for the time stamp; the wall clock unless given. */
  now?: () => Date;
}

export function parseLogLevel(value: string, source: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new RangeError(`${source}: expected one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());

  const emit = (level: LogLevel, message: string) => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const time = now().toISOString().slice(11, 19);
    const scope = options.scope ? ` ${options.scope}:` : '';
    write(`${time} ${level.padEnd(5)}${scope} ${message}`);
  };

  return {
    debug: (message) => emit('debug', message),
    info: (message) => emit('info', message),
    warn: (message) => emit('warn', message),
    error: (message) => emit('error', message),
    child: (scope) =>
      createLogger({
        ...options,
        scope: options.scope ? `${options.scope}.${scope}` : scope,
        write,
        now,
      }),
  };
}

/** The message of anything thrown, with its cause chain, on one line. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.cause === undefined) return error.message;
  // A wrapper that repeats its cause's message (to keep the reader's words) says it once.
  const cause = describeError(error.cause);
  return error.message.includes(cause) ? error.message : `${error.message} (caused by: ${cause})`;
}
