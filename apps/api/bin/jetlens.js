#!/usr/bin/env node
// The `jetlens` command. It lives outside dist/ so that npm links it at install time, before
// anything is built; it then runs the built command line, or says how to build it.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  console.error(
    'jetlens: the command line is not built yet; run `npm run build` (or `npm run study`) in ' +
      'the JetLens checkout first',
  );
  process.exit(1);
}
await import(main.href);
