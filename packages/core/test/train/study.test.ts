import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { evaluateClassifier } from '../../src/metrics/evaluate.js';
import { createViTSession } from '../../src/runtime/vit-session-impl.js';
import {
  fineTuneStudyTask,
  loadStudyTask,
  STUDY_RECIPE,
  STUDY_TASKS,
} from '../../src/train/study.js';
import { loadViTCheckpoint } from '../../src/vit/checkpoint.js';

// The acceptance run: the study's two tasks on the bundled sample, fine-tuned from the default
// backbone with 300 images per class, scored on held-out jets and compared with the PyTorch
// reference (tools/reference/finetune.py through bench/finetune, committed as golden JSON).
const root = new URL('../../../../', import.meta.url).pathname;
const sample = `${root}data/jetclass-sample`;
const backbone = loadViTCheckpoint(`${root}models/jetlens-vit-tiny-jets`);
const filesOf = (c: string) =>
  readdirSync(sample).filter((f) => f.startsWith(`${c}_`) && f.endsWith('.root'));
const golden = (task: string) =>
  new URL(`../golden/train/finetune-pytorch-${task}.json`, import.meta.url).pathname;

describe('fine-tuning jetlens-vit-tiny-jets on the bundled sample (300 images per class)', () => {
  for (const task of STUDY_TASKS) {
    test(task.name, async () => {
      const images = await loadStudyTask(
        task,
        sample,
        backbone.weights.config.numHiddenLayers,
        filesOf,
      );
      expect(images.train.labels).toHaveLength(2 * STUDY_RECIPE.trainPerClass);

      const result = await fineTuneStudyTask(backbone.weights, backbone.preprocessor, task, images);
      const session = await createViTSession(result.weights, backbone.preprocessor);
      const prediction = await session.predict(images.heldOut.images);
      await session.dispose();
      const metrics = evaluateClassifier(prediction.probabilities, images.heldOut.labels, 2, {
        resamples: 200,
        seed: 0,
      });

      if (task.name === 'ttbar-vs-zjets') expect(metrics.auc.value).toBeGreaterThanOrEqual(0.9);
      else expect(metrics.auc.value).toBeGreaterThan(0.5);
      expect(existsSync(golden(task.name))).toBe(true);
      const peer = JSON.parse(readFileSync(golden(task.name), 'utf8')) as {
        auc: { value: number; std: number };
      };
      const combined = Math.hypot(metrics.auc.std, peer.auc.std);
      expect(Math.abs(metrics.auc.value - peer.auc.value)).toBeLessThanOrEqual(combined);
    }, 300_000);
  }
});
