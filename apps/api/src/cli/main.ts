#!/usr/bin/env node
import { COMMANDS } from './commands/index.js';
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), COMMANDS);
