/**
 * The `jetlens` command line: one commander program whose commands each live in
 * ./commands/<name>.ts. runCli returns the exit code rather than exiting, so tests can run it.
 */
import { Command, CommanderError, Option } from 'commander';
import { createLogger, describeError, LOG_LEVELS, type Logger, parseLogLevel } from '../log.js';
import { VERSION } from '../version.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, UsageError } from './errors.js';

export interface CliRuntime {
  env: NodeJS.ProcessEnv;
  /** Results (tables, JSON, a new token) go to stdout; everything else is logged to stderr. */
  out: (text: string) => void;
  /** Commander's own messages (help goes to `out`, usage errors here). */
  err: (text: string) => void;
}

/** What every command gets: the runtime and a logger at the level the user asked for. */
export interface CommandContext extends CliRuntime {
  log: Logger;
}

export type CommandModule = (program: Command, context: () => CommandContext) => void;

const defaultRuntime: CliRuntime = {
  env: process.env,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export function buildProgram(commands: CommandModule[], runtime: CliRuntime): Command {
  const program = new Command('jetlens')
    .description('JetLens: explainable jet tagging with Vision Transformers')
    .version(VERSION, '-V, --version')
    .addOption(
      new Option('--log-level <level>', 'how much to log on stderr')
        .choices([...LOG_LEVELS])
        .env('JETLENS_LOG_LEVEL')
        .default('info'),
    )
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: runtime.out, writeErr: runtime.err })
    .exitOverride();

  const context = (): CommandContext => {
    const level = parseLogLevel(String(program.opts().logLevel), '--log-level');
    return { ...runtime, log: createLogger({ level }) };
  };
  for (const register of commands) register(program, context);

  // Subcommands inherit the output and the exit override, so that their usage errors
  // come back here as exit code 2 instead of ending the process.
  for (const command of program.commands) {
    command.configureOutput({ writeOut: runtime.out, writeErr: runtime.err }).exitOverride();
    command.showHelpAfterError(`(run "jetlens ${command.name()} --help" for usage)`);
  }
  return program;
}

/** Runs the command line `argv` (without node and the script) and returns the exit code. */
export async function runCli(
  argv: string[],
  commands: CommandModule[],
  runtime: CliRuntime = defaultRuntime,
): Promise<number> {
  const program = buildProgram(commands, runtime);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end through the same path with exit code 0.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      runtime.err(`error: ${error.message}\n`);
      return EXIT_USAGE;
    }
    runtime.err(`error: ${describeError(error)}\n`);
    return EXIT_FAILURE;
  }
}
