import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The crafted JetClass-schema files written by tools/reference/make_test_files.py. */
export const fixtures = (name: string): string => join(here, '..', 'fixtures', name);

/**
 * ROOT files written by ROOT itself (scikit-hep-testdata: uproot-HZZ.root and friends). They are
 * not part of the repository: JETLENS_ROOT_TEST_DATA names their folder, by default the
 * `shared/data` folder beside the checkout.
 */
export function rootTestData(name: string): string {
  const dir =
    process.env.JETLENS_ROOT_TEST_DATA ??
    resolve(here, '..', '..', '..', '..', '..', 'shared', 'data');
  const path = join(dir, name);
  if (!existsSync(path)) {
    throw new Error(`${name} not found in ${dir}; set JETLENS_ROOT_TEST_DATA to its folder`);
  }
  return path;
}
