export { type BootstrapOptions, bootstrap, type Estimate } from './bootstrap.js';
export { type Calibration, calibration, type ReliabilityBin } from './calibration.js';
export { accuracy, confusionMatrix, predictedLabels } from './classification.js';
export { type ClassifierMetrics, type EvaluateOptions, evaluateClassifier } from './evaluate.js';
export { auc, backgroundRejection, type RocCurve, rocAuc, rocCurve } from './roc.js';
