/**
 * The version of the running JetLens code, recorded with every run: `git describe` when the
 * code runs from a git checkout, the package version otherwise.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

export const VERSION = packageVersion();

let described: string | undefined;

/** e.g. "0.1.0+git.e77d0a4-dirty"; just the package version outside a checkout. */
export function codeVersion(): string {
  if (described !== undefined) return described;
  try {
    const git = execFileSync('git', ['describe', '--always', '--dirty', '--abbrev=12'], {
      cwd: packageDir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    described = `${VERSION}+git.${git}`;
  } catch {
    // Not a checkout (an installed package or a container without git): the version is all
    // there is to say.
    described = VERSION;
  }
  return described;
}
