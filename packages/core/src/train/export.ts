import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { saveViTCheckpoint } from '../vit/checkpoint.js';
import type { ViTPreprocessorConfig } from '../vit/preprocessor-config.js';
import type { FewShotProtocol } from './protocol.js';
import type { FineTuneResult } from './trainer.js';

/** The run record stored beside a fine-tuned checkpoint (`jetlens_run.json`). */
export interface FineTuneRecord {
  readonly protocol?: FewShotProtocol;
  readonly freeze: FineTuneResult['freeze'];
  readonly preprocessing: FineTuneResult['preprocessing'];
  readonly history: FineTuneResult['history'];
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
}

/**
 * Writes a fine-tuned model as a Hugging Face checkpoint folder (config.json,
 * model.safetensors, preprocessor_config.json), which JetLens's runtime and transformers'
 * `from_pretrained` both load, plus `jetlens_run.json`: the protocol, freeze specification,
 * preprocessing and per-epoch history of the run that made it.
 */
export function saveFineTuned(
  dir: string,
  result: FineTuneResult,
  preprocessor: ViTPreprocessorConfig,
  protocol?: FewShotProtocol,
): void {
  saveViTCheckpoint(dir, result.weights, preprocessor);
  const record: FineTuneRecord = {
    ...(protocol ? { protocol } : {}),
    freeze: result.freeze,
    preprocessing: result.preprocessing,
    history: result.history,
    bestEpoch: result.bestEpoch,
    stoppedEarly: result.stoppedEarly,
  };
  writeFileSync(join(dir, 'jetlens_run.json'), `${JSON.stringify(record, null, 2)}\n`);
}
