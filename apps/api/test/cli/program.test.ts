import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands/index.js';
import { EXIT_OK, EXIT_USAGE } from '../../src/cli/errors.js';
import { runCli } from '../../src/cli/program.js';

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, COMMANDS, {
    env: {},
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

describe('jetlens command line', () => {
  it('prints help for the program and for every command with exit code 0', async () => {
    const top = await run(['--help']);
    expect(top.code).toBe(EXIT_OK);
    expect(top.out).toContain('Usage: jetlens');

    const names = top.out.match(/^ {2}([a-z]+)\b/gm)?.map((line) => line.trim()) ?? [];
    expect(names).toEqual(expect.arrayContaining(['worker', 'user', 'token']));
    for (const name of names.filter((n) => n !== 'help')) {
      const help = await run([name, '--help']);
      expect(help.code, name).toBe(EXIT_OK);
      expect(help.out, name).toContain(`Usage: jetlens ${name}`);
    }
  });

  it('answers an unknown command with exit code 2 and a hint', async () => {
    const result = await run(['frobnicate']);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.err).toMatch(/unknown command 'frobnicate'/);
    expect(result.err).toContain('--help');
  });

  it('answers a bad option value with exit code 2 naming the option', async () => {
    const result = await run(['worker', '--concurrency', 'many']);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.err).toContain('--concurrency must be an integer, got "many"');
  });

  it('answers a bad log level with exit code 2 listing the choices', async () => {
    const result = await run(['--log-level', 'loud', 'user', 'list']);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.err).toMatch(/debug, info, warn, error/);
  });

  it('answers a missing required option with exit code 2', async () => {
    const result = await run(['user', 'create', 'ada@example.org']);
    expect(result.code).toBe(EXIT_USAGE);
    expect(result.err).toContain("required option '--name <name>' not specified");
  });
});
