/** Runs the `jetlens` command line in this process, capturing what it prints. */
import { COMMANDS } from '../../src/cli/commands/index.js';
import { runCli } from '../../src/cli/program.js';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function jetlens(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await runCli(['--log-level', 'warn', ...argv], COMMANDS, {
    env,
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}
