/**
 * Registers every gradient rule table with the tape, under the keys the primitives record
 * (`unary/<op>`, `binary/<op>`, `reduce/<op>`, `kernel/<method>`, `view/reshape`, `transfer/to`,
 * `composite/<op>`). Imported once, for its effect, by core's index.
 */
import { type GradientRule, registerGradient } from '../autograd/tape.js';
import { UNARY_OPS } from '../backend/backend.js';
import { type TransferAttrs, to } from '../ops/device.js';
import { reshape } from '../ops/movement.js';
import { sumToShape } from '../ops/reduce.js';
import type { ReduceAttrs } from '../primitives/reduce.js';
import { type ArithmeticOp, BINARY_GRADIENTS } from './binary.js';
import { COMPOSITE_GRADIENTS, type CompositeOp } from './composite.js';
import { type GradKernel, KERNEL_GRADIENTS } from './kernels.js';
import { REDUCE_GRADIENTS, toKept } from './reduce.js';
import { UNARY_GRADIENTS } from './unary.js';

for (const op of UNARY_OPS) {
  const rule = UNARY_GRADIENTS[op];
  registerGradient(`unary/${op}`, (g, { inputs: [x], output }) => [rule(g, x, output)]);
}

for (const op of Object.keys(BINARY_GRADIENTS) as ArithmeticOp[]) {
  const rule = BINARY_GRADIENTS[op];
  registerGradient(`binary/${op}`, (g, { inputs: [a, b], output }) => {
    const [ga, gb] = rule(g, a, b, output);
    return [ga && sumToShape(ga, a.shape), gb && sumToShape(gb, b.shape)];
  });
}

for (const [op, rule] of Object.entries(REDUCE_GRADIENTS)) {
  registerGradient<ReduceAttrs>(`reduce/${op}`, (g, { inputs: [x], output, attrs: { axes } }) => [
    rule(toKept(g, x, axes), x, toKept(output, x, axes), axes),
  ]);
}

for (const kernel of Object.keys(KERNEL_GRADIENTS) as GradKernel[])
  registerGradient(`kernel/${kernel}`, KERNEL_GRADIENTS[kernel] as GradientRule);

for (const op of Object.keys(COMPOSITE_GRADIENTS) as CompositeOp[])
  registerGradient(`composite/${op}`, COMPOSITE_GRADIENTS[op]);

registerGradient('view/reshape', (g, { inputs: [x] }) => [reshape(g, x.shape)]);
registerGradient<TransferAttrs>('transfer/to', (g, { attrs: { source } }) => [to(g, source)]);
