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

/** `preprocessor_config.json` as transformers' ViTImageProcessor writes it. */
export function preprocessorConfigJson(p: ViTPreprocessorConfig): Record<string, unknown> {
  return {
    do_normalize: p.doNormalize,
    do_rescale: p.doRescale,
    do_resize: p.doResize,
    image_mean: [...p.imageMean],
    image_processor_type: 'ViTImageProcessor',
    image_std: [...p.imageStd],
    resample: 2,
    rescale_factor: p.rescaleFactor,
    size: { height: p.size[0], width: p.size[1] },
  };
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
  saveViTCheckpoint(dir, result.weights);
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    `${JSON.stringify(preprocessorConfigJson(preprocessor), null, 2)}\n`,
  );
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
