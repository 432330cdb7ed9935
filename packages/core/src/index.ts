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
