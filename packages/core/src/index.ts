export const packageName = '@jetlens/core';
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
export { Prng } from './train/prng.js';
export {
  initialTopState,
  type TopBatch,
  TopForwardSession,
  type TopSessionOptions,
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
  emitVitTop,
  type ParameterSpec,
  type VitTopConfig,
  vitTopParameters,
} from './train/vit-top.js';
