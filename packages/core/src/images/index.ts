export * from './config.js';
export * from './jet-images.js';
export * from './png.js';
export * from './preprocess.js';
export * from './transform.js';
