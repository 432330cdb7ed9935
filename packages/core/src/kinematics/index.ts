export * from './angles.js';
export * from './four-vector.js';
