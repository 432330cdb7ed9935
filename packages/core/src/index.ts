export const packageName = '@jetlens/core';
export * from './images/index.js';
export * from './io/index.js';
export * from './jets/index.js';
export * from './kinematics/index.js';
export {
  accuracy,
  auc,
  type BootstrapOptions,
  backgroundRejection,
  bootstrap,
  type Calibration,
  type ClassifierMetrics,
  calibration,
  confusionMatrix,
  type Estimate,
  type EvaluateOptions,
  evaluateClassifier,
  predictedLabels,
  type ReliabilityBin,
  type RocCurve,
  rocAuc,
  rocCurve,
} from './metrics/index.js';
export { type Attributes, type AttributeValue, attr } from './onnx/attribute.js';
export {
  DEFAULT_OPSET,
  type Dim,
  type ElementType,
  GraphBuilder,
  type GraphBuilderOptions,
  type NodeOptions,
} from './onnx/graph-builder.js';
export {
  createSession,
  type ExecutionProviderName,
  type SessionSettings,
  sessionOptions,
} from './runtime/execution-provider.js';
export {
  checkImageBatch,
  type ImageBatch,
  type IntensityScaling,
  type Preprocessing,
  type PreprocessingOptions,
  preprocessImages,
  resolvePreprocessing,
} from './runtime/preprocess.js';
export type {
  Explanation,
  ExplanationTargets,
  Prediction,
  ViTSession,
  ViTSessionOptions,
} from './runtime/vit-session.js';
export { createViTSession, loadViT } from './runtime/vit-session-impl.js';
export {
  FLOAT_DTYPES,
  SAFETENSORS_DTYPE_BYTES,
  type SafetensorsDtype,
} from './safetensors/dtype.js';
export {
  type Float32Tensor,
  openSafetensors,
  type SafetensorsEntry,
  type SafetensorsFile,
} from './safetensors/reader.js';
export { type WriteSafetensorsOptions, writeSafetensors } from './safetensors/writer.js';
export { Tape, type Value as TapeValue } from './train/autodiff/tape.js';
export { type FineTuneRecord, saveFineTuned } from './train/export.js';
export { Prng } from './train/prng.js';
export {
  classBalancedBatches,
  type FewShotOptions,
  type FewShotProtocol,
  type FreezeSpec,
  type LabelledEvent,
  lastLayersFreezeSpec,
  sampleFewShot,
} from './train/protocol.js';
export { type EpochReport, loadResumeState, saveResumeState } from './train/resume-state.js';
export { type LearningRateSchedule, learningRateAt } from './train/schedule.js';
export {
  fineTuneStudyTask,
  loadStudyTask,
  STUDY_RECIPE,
  STUDY_TASKS,
  type StudyTask,
} from './train/study.js';
export {
  jetId,
  loadTaskImages,
  type TaskImages,
  type TaskImagesOptions,
  type TaskSplit,
} from './train/task-images.js';
export {
  initialTopState,
  type TopBatch,
  TopForwardSession,
  type TopState,
  TrainStepSession,
} from './train/top-session.js';
export {
  type AdamWConstants,
  buildTopForwardGraph,
  buildTrainStepGraph,
  DEFAULT_ADAMW,
} from './train/train-step.js';
export {
  type FineTuneOptions,
  type FineTuneResult,
  fineTune,
  type LabelledImages,
  topConfigOf,
} from './train/trainer.js';
export {
  emitVitTop,
  type ParameterSpec,
  type VitTopConfig,
  vitTopParameters,
} from './train/vit-top.js';
export {
  CheckpointError,
  type CheckpointIssue,
  loadViTCheckpoint,
  saveViTCheckpoint,
  type ViTCheckpoint,
} from './vit/checkpoint.js';
export {
  parseViTConfig,
  patchGrid,
  tokenCount,
  type ViTActivation,
  type ViTArchitecture,
  type ViTConfig,
  viTConfigJson,
} from './vit/config.js';
export {
  buildViTGraph,
  VIT_VALUES,
  ViTEmitter,
  type ViTGraph,
  type ViTGraphOptions,
} from './vit/graph.js';
export {
  HF_VIT_PREPROCESSOR_DEFAULTS,
  parsePreprocessorConfig,
  preprocessorConfigJson,
  type ViTPreprocessorConfig,
} from './vit/preprocessor-config.js';
export { SeededNormal } from './vit/seeded-normal.js';
export {
  backboneTensorShapes,
  classifierTensorShapes,
  layerTensorName,
  newClassifierHead,
  randomViTWeights,
  type ViTWeights,
  withNewHead,
} from './vit/weights.js';
