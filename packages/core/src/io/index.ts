export * from './branch-layout.js';
export * from './branch-mapping.js';
export * from './branch-reader.js';
export * from './errors.js';
export * from './jet.js';
export * from './jet-reader.js';
export * from './jetclass-schema.js';
export * from './root-file.js';
