import type { CommandModule } from '../program.js';
import { ingestCommand } from './ingest.js';
import { jobCommand } from './job.js';
import { evaluateCommand, explainCommand, finetuneCommand, imagesCommand } from './steps.js';
import { studyCommand } from './study.js';
import { tokenCommand } from './token.js';
import { userCommand } from './user.js';
import { workerCommand } from './worker.js';

/** Every `jetlens` command, in the order `--help` lists them. */
export const COMMANDS: CommandModule[] = [
  studyCommand,
  ingestCommand,
  imagesCommand,
  finetuneCommand,
  evaluateCommand,
  explainCommand,
  workerCommand,
  jobCommand,
  userCommand,
  tokenCommand,
];
