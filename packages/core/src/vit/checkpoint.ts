import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FLOAT_DTYPES } from '../safetensors/dtype.js';
import { openSafetensors } from '../safetensors/reader.js';
import { writeSafetensors } from '../safetensors/writer.js';
import { parseViTConfig, viTConfigJson } from './config.js';
import {
  parsePreprocessorConfig,
  preprocessorConfigJson,
  type ViTPreprocessorConfig,
} from './preprocessor-config.js';
import { backboneTensorShapes, classifierTensorShapes, type ViTWeights } from './weights.js';

/** One thing wrong with a checkpoint's tensors. */
export type CheckpointIssue =
  | { readonly kind: 'missing'; readonly tensor: string; readonly expected: readonly number[] }
  | { readonly kind: 'unexpected'; readonly tensor: string }
  | {
      readonly kind: 'shape';
      readonly tensor: string;
      readonly expected: readonly number[];
      readonly actual: readonly number[];
    }
  | { readonly kind: 'dtype'; readonly tensor: string; readonly actual: string }
  | { readonly kind: 'duplicate'; readonly tensor: string };

function describeIssue(issue: CheckpointIssue): string {
  switch (issue.kind) {
    case 'missing':
      return `missing tensor ${issue.tensor} [${issue.expected.join(', ')}]`;
    case 'unexpected':
      return `unexpected tensor ${issue.tensor}`;
    case 'shape':
      return (
        `tensor ${issue.tensor}: expected shape [${issue.expected.join(', ')}], ` +
        `got [${issue.actual.join(', ')}]`
      );
    case 'dtype':
      return `tensor ${issue.tensor}: dtype ${issue.actual} is not a float type`;
    case 'duplicate':
      return `tensor ${issue.tensor} appears both with and without the 'vit.' prefix`;
  }
}

/** How many issues a message lists before summing up the rest. */
const LISTED_ISSUES = 12;

/**
 * A checkpoint whose tensors do not fit its config. Every issue is collected, so that one
 * error tells all that is missing, unexpected or of the wrong shape.
 */
export class CheckpointError extends RangeError {
  override readonly name = 'CheckpointError';
  readonly issues: readonly CheckpointIssue[];

  constructor(source: string, issues: readonly CheckpointIssue[]) {
    const listed = issues.slice(0, LISTED_ISSUES).map((issue) => `  ${describeIssue(issue)}`);
    if (issues.length > LISTED_ISSUES) {
      listed.push(`  ... and ${issues.length - LISTED_ISSUES} more`);
    }
    super(`${source} does not fit its config.json:\n${listed.join('\n')}`);
    this.issues = issues;
  }
}

/** A loaded checkpoint folder: the weights, the preprocessing it expects, and notes. */
export interface ViTCheckpoint {
  readonly weights: ViTWeights;
  readonly preprocessor: ViTPreprocessorConfig;
  /** Things ignored on loading, in words (e.g. a pooler that JetLens never uses). */
  readonly notes: readonly string[];
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RangeError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

/** Maps a file's tensor names onto `ViTForImageClassification` names. */
function canonicalName(name: string): string | undefined {
  if (name.startsWith('vit.') || name.startsWith('classifier.')) {
    return name;
  }
  if (name.startsWith('pooler.')) {
    return undefined;
  }
  // ViTModel checkpoints (hub backbones such as vit-base-patch16-224-in21k) have no prefix
  return `vit.${name}`;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function findWeightsFile(dir: string): string {
  const path = join(dir, 'model.safetensors');
  if (existsSync(path)) {
    return path;
  }
  if (existsSync(join(dir, 'model.safetensors.index.json'))) {
    throw new RangeError(
      `${dir}: sharded checkpoints (model.safetensors.index.json) are not supported; ` +
        'save the model as one model.safetensors',
    );
  }
  if (existsSync(join(dir, 'pytorch_model.bin'))) {
    throw new RangeError(
      `${dir}: has pytorch_model.bin but no model.safetensors; JetLens reads safetensors ` +
        'only (in Python: model.save_pretrained(dir, safe_serialization=True))',
    );
  }
  throw new RangeError(`${dir}: no model.safetensors`);
}

/**
 * Loads a Hugging Face ViT checkpoint folder: `config.json`, `model.safetensors` and, when
 * present, `preprocessor_config.json`. Both `ViTForImageClassification` names (`vit.` prefix,
 * `classifier.*`) and bare `ViTModel` names are accepted; a `pooler.*` is ignored (JetLens
 * classifies from the CLS token after the final layer norm, as ViTForImageClassification does).
 * Tensors in F16 or BF16 are converted to float32.
 */
export function loadViTCheckpoint(dir: string): ViTCheckpoint {
  if (typeof dir !== 'string') {
    throw new TypeError(`checkpoint folder: expected a path string, got ${typeof dir}`);
  }
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) {
    throw new RangeError(
      `${dir}: no config.json (a Hugging Face ViT checkpoint folder holds config.json and ` +
        'model.safetensors)',
    );
  }
  const config = parseViTConfig(readJson(configPath), configPath);
  const preprocessorPath = join(dir, 'preprocessor_config.json');
  const preprocessor = parsePreprocessorConfig(
    existsSync(preprocessorPath) ? readJson(preprocessorPath) : undefined,
    preprocessorPath,
  );

  const file = openSafetensors(findWeightsFile(dir));
  try {
    const notes: string[] = [];
    const issues: CheckpointIssue[] = [];
    const byCanonical = new Map<string, string>();
    const pooler: string[] = [];
    for (const name of file.entries.keys()) {
      const canonical = canonicalName(name);
      if (canonical === undefined) {
        pooler.push(name);
      } else if (byCanonical.has(canonical)) {
        issues.push({ kind: 'duplicate', tensor: canonical });
      } else {
        byCanonical.set(canonical, name);
      }
    }
    if (pooler.length > 0) {
      notes.push(`ignored the pooler (${pooler.join(', ')}): JetLens classifies from CLS`);
    }

    const hasClassifier =
      byCanonical.has('classifier.weight') || byCanonical.has('classifier.bias');
    const expected = new Map(backboneTensorShapes(config));
    if (hasClassifier) {
      for (const [name, shape] of classifierTensorShapes(config, config.labels.length)) {
        expected.set(name, shape);
      }
    }

    for (const [name, shape] of expected) {
      const stored = byCanonical.get(name);
      const entry = stored === undefined ? undefined : file.entries.get(stored);
      if (entry === undefined) {
        issues.push({ kind: 'missing', tensor: name, expected: shape });
      } else if (!FLOAT_DTYPES.includes(entry.dtype)) {
        issues.push({ kind: 'dtype', tensor: name, actual: entry.dtype });
      } else if (!sameShape(entry.shape, shape)) {
        issues.push({ kind: 'shape', tensor: name, expected: shape, actual: entry.shape });
      }
    }
    for (const name of byCanonical.keys()) {
      if (!expected.has(name)) {
        issues.push({ kind: 'unexpected', tensor: byCanonical.get(name)! });
      }
    }
    if (issues.length > 0) {
      throw new CheckpointError(file.path, issues);
    }

    const tensors = new Map(
      [...expected.keys()].map((name) => [name, file.readFloat32(byCanonical.get(name)!)]),
    );
    return { weights: { config, tensors, hasClassifier }, preprocessor, notes };
  } finally {
    file.close();
  }
}

/**
 * Saves weights as a Hugging Face checkpoint folder (config.json and model.safetensors with
 * `ViTForImageClassification` names, F32, and preprocessor_config.json when `preprocessor` is
 * given), which `from_pretrained` and {@link loadViTCheckpoint} read back.
 */
export function saveViTCheckpoint(
  dir: string,
  weights: ViTWeights,
  preprocessor?: ViTPreprocessorConfig,
): void {
  mkdirSync(dir, { recursive: true });
  const architecture = weights.hasClassifier ? 'ViTForImageClassification' : 'ViTModel';
  const json = viTConfigJson(weights.config, architecture);
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(json, null, 2)}\n`);

  // a bare backbone is saved in ViTModel's names, without the prefix
  const tensors = [...weights.tensors].map(
    ([name, tensor]) =>
      [weights.hasClassifier ? name : name.replace(/^vit\./, ''), tensor] as const,
  );
  writeSafetensors(join(dir, 'model.safetensors'), tensors);
  if (preprocessor) {
    const json = preprocessorConfigJson(preprocessor);
    writeFileSync(join(dir, 'preprocessor_config.json'), `${JSON.stringify(json, null, 2)}\n`);
  }
}
