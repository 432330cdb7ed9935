export * from './cluster.js';
export * from './nsubjettiness.js';
export * from './soft-drop.js';
export * from './subjets.js';
