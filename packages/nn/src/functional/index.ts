/** The functional API (`F.relu(x)`, `F.dropout(x, 0.5, training)`): activations and layer functions without modules. */
export * from './activations.js';
export * from './attention.js';
export * from './conv.js';
export * from './layers.js';
