export * from './conv.js';
export * from './gradient.js';
export * from './linalg.js';
export * from './math.js';
export * from './mlp.js';
export * from './movement.js';
export * from './ndarray.js';
export * from './reduce.js';
