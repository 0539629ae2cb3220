/**
 * Recurrent layers after PyTorch's `nn.RNN`, `nn.LSTM` and `nn.GRU`: the same parameter names and
 * layouts (`weight_ih_l0` [gates·H, in], `weight_hh_l0` [gates·H, H], `bias_ih_l0`, `bias_hh_l0`;
 * LSTM gates i, f, g, o; GRU gates r, z, n), the same U(±1/√H) initialisation and the same return
 * values, so a state dict moves between the two unchanged. Input is [T, N, in] ([N, T, in] with
 * `batchFirst`, or unbatched [T, in]). Each step is composed from core ops; the input projections
 * of all steps are one matmul per layer.
 */
import {
  ArgumentError,
  add,
  checkBoolean,
  checkOptions,
  formatShape,
  mul,
  narrow,
  reshape,
  ShapeError,
  sigmoid,
  stack,
  sub,
  type Tensor,
  tanh,
  transpose,
  zeros,
} from '@backprop/core';
import * as F from '../functional/index.js';
import { uniform } from '../init.js';
import { Module } from '../module.js';
import { type Parameter, parameter } from '../parameter.js';
import { checkChoice, checkProbability, checkSize, checkTensor } from '../validate.js';

export interface RecurrentOptions {
  /** Stacked layers, each reading the previous one's outputs (default 1). */
  numLayers?: number;
  /** Learn the biases `bias_ih_l*` and `bias_hh_l*` (default true). */
  bias?: boolean;
  /** Input and output as [N, T, features] instead of [T, N, features] (default false). */
  batchFirst?: boolean;
  /** Dropout on the outputs of every layer but the last, while training (default 0). */
  dropout?: number;
}

export interface RNNOptions extends RecurrentOptions {
  /** The cell's nonlinearity (default 'tanh'). */
  nonlinearity?: 'tanh' | 'relu';
}

type Step = (xProj: Tensor, state: readonly Tensor[], layer: number) => Tensor[];

/** What every recurrent layer shares: parameters per layer, input layout, the loop over time and layers. */
abstract class Recurrent<S> extends Module<[Tensor, S?], [Tensor, S]> {
  readonly inputSize: number;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly batchFirst: boolean;
  readonly dropout: number;
  readonly hasBias: boolean;

  protected constructor(
    protected readonly what: string,
    readonly gates: number,
    inputSize: number,
    hiddenSize: number,
    options: RecurrentOptions,
    extraOptions: readonly string[] = [],
  ) {
    super();
    const checked = checkOptions<RecurrentOptions>(what, options, [
      'numLayers',
      'bias',
      'batchFirst',
      'dropout',
      ...extraOptions,
    ]);
    this.inputSize = checkSize(what, 'inputSize', inputSize);
    this.hiddenSize = checkSize(what, 'hiddenSize', hiddenSize);
    this.numLayers = checkSize(what, 'numLayers', checked.numLayers ?? 1);
    this.hasBias = checkBoolean(what, 'bias', checked.bias) ?? true;
    this.batchFirst = checkBoolean(what, 'batchFirst', checked.batchFirst) ?? false;
    this.dropout = checkProbability(what, 'dropout', checked.dropout ?? 0);
    for (let l = 0; l < this.numLayers; l++) {
      const input = l === 0 ? inputSize : hiddenSize;
      this.registerParameter(`weight_ih_l${l}`, parameter(zeros([gates * hiddenSize, input])));
      this.registerParameter(`weight_hh_l${l}`, parameter(zeros([gates * hiddenSize, hiddenSize])));
      if (this.hasBias) {
        this.registerParameter(`bias_ih_l${l}`, parameter(zeros([gates * hiddenSize])));
        this.registerParameter(`bias_hh_l${l}`, parameter(zeros([gates * hiddenSize])));
      }
    }
    this.resetParameters();
  }

  /** Re-draws every weight and bias from U(±1/√hiddenSize), as PyTorch does. */
  resetParameters(): void {
    const bound = 1 / Math.sqrt(this.hiddenSize);
    for (const p of this.parameters()) uniform(p, -bound, bound);
  }

  /** Layer `l`'s parameter `name` ('weight_ih', 'weight_hh', 'bias_ih' or 'bias_hh'); null for an absent bias. */
  protected param(name: string, l: number): Parameter | null {
    return ((this as Record<string, unknown>)[`${name}_l${l}`] as Parameter | undefined) ?? null;
  }

  /** The hidden-to-hidden projection h·W_hhᵀ + b_hh of layer `l`. */
  protected hiddenProjection(h: Tensor, l: number): Tensor {
    return F.linear(h, this.param('weight_hh', l)!, this.param('bias_hh', l));
  }

  /** Reads input [T, N, in] in any accepted layout; returns it time-major with whether it was unbatched. */
  protected timeMajor(x: Tensor): { seq: Tensor; unbatched: boolean } {
    checkTensor(this.what, 'input', x);
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[x.rank - 1] !== this.inputSize) {
      throw new ShapeError(
        `${this.what}: expected input ${this.batchFirst ? '[N, T' : '[T, N'}, ${this.inputSize}] or unbatched [T, ${this.inputSize}], got ${formatShape(x.shape)}`,
      );
    }
    if (x.rank === 2) return { seq: reshape(x, [x.shape[0], 1, this.inputSize]), unbatched: true };
    return { seq: this.batchFirst ? transpose(x, 0, 1) : x, unbatched: false };
  }

  /** Checks an initial state [numLayers, N, H] (or [numLayers, H] unbatched) and returns it 3-D. */
  protected initialState(
    name: string,
    s: Tensor | undefined,
    batch: number,
    unbatched: boolean,
    device: string,
  ): Tensor {
    const expected = unbatched ? [this.numLayers, this.hiddenSize] : [this.numLayers, batch, this.hiddenSize];
    if (s === undefined) return zeros([this.numLayers, batch, this.hiddenSize], { device });
    checkTensor(this.what, name, s);
    if (s.rank !== expected.length || s.shape.some((d, i) => d !== expected[i])) {
      throw new ShapeError(
        `${this.what}: ${name} must have shape ${formatShape(expected)}, got ${formatShape(s.shape)}`,
      );
    }
    return unbatched ? reshape(s, [this.numLayers, 1, this.hiddenSize]) : s;
  }

  /**
   * Runs every layer over time: `states` holds one [numLayers, N, H] tensor per kind of state (h, or
   * h and c); returns the last layer's outputs (in the input's layout) and the final states.
   */
  protected run(
    x: Tensor,
    states: readonly (Tensor | undefined)[],
    step: Step,
  ): { output: Tensor; finals: Tensor[] } {
    const { seq, unbatched } = this.timeMajor(x);
    const [steps, batch] = seq.shape;
    const initial = states.map((s, i) =>
      this.initialState(i === 0 ? 'h0' : 'c0', s, batch, unbatched, x.device),
    );
    let layerInput = seq;
    const finals: Tensor[][] = initial.map(() => []);
    for (let l = 0; l < this.numLayers; l++) {
      // All steps' input projections at once: [T, N, gates·H].
      const xProj = F.linear(layerInput, this.param('weight_ih', l)!, this.param('bias_ih', l));
      let state = initial.map((s) => reshape(narrow(s, 0, l, 1), [batch, this.hiddenSize]));
      const outputs: Tensor[] = [];
      for (let t = 0; t < steps; t++) {
        state = step(reshape(narrow(xProj, 0, t, 1), [batch, this.gates * this.hiddenSize]), state, l);
        outputs.push(state[0]);
      }
      for (const [i, s] of state.entries()) finals[i].push(s);
      layerInput = stack(outputs, 0);
      if (this.dropout > 0 && this.training && l < this.numLayers - 1)
        layerInput = F.dropout(layerInput, this.dropout, true);
    }
    const finalStates = finals.map((f) => {
      const s = stack(f, 0);
      return unbatched ? reshape(s, [this.numLayers, this.hiddenSize]) : s;
    });
    let output = layerInput;
    if (unbatched) output = reshape(output, [steps, this.hiddenSize]);
    else if (this.batchFirst) output = transpose(output, 0, 1);
    return { output, finals: finalStates };
  }

  /** Gate `k` of a [N, gates·H] projection. */
  protected gate(t: Tensor, k: number): Tensor {
    return narrow(t, 1, k * this.hiddenSize, this.hiddenSize);
  }

  override extraRepr(): string {
    return `${this.inputSize}, ${this.hiddenSize}, numLayers=${this.numLayers}, bias=${this.hasBias}, batchFirst=${this.batchFirst}, dropout=${this.dropout}`;
  }
}

/**
 * Elman RNN (PyTorch's `nn.RNN`): h_t = act(W_ih·x_t + b_ih + W_hh·h_{t−1} + b_hh) with tanh or ReLU.
 * `forward(x, h0?)` returns [output, h_n]: every step's last-layer state and every layer's final one.
 */
export class RNN extends Recurrent<Tensor> {
  readonly nonlinearity: 'tanh' | 'relu';

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super('RNN', 1, inputSize, hiddenSize, options, ['nonlinearity']);
    this.nonlinearity = checkChoice('RNN', 'nonlinearity', options.nonlinearity ?? 'tanh', ['tanh', 'relu']);
  }

  override forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    if (Array.isArray(h0)) throw new ArgumentError('RNN: h0 must be a tensor, not an array');
    const act = this.nonlinearity === 'relu' ? F.relu : tanh;
    const { output, finals } = this.run(x, [h0], (xp, [h], l) => [act(add(xp, this.hiddenProjection(h, l)))]);
    return [output, finals[0]];
  }
}

/**
 * Long short-term memory (PyTorch's `nn.LSTM`, gates i, f, g, o): c_t = f⊙c_{t−1} + i⊙g,
 * h_t = o⊙tanh(c_t). `forward(x, [h0, c0]?)` returns [output, [h_n, c_n]].
 */
export class LSTM extends Recurrent<readonly [Tensor, Tensor]> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('LSTM', 4, inputSize, hiddenSize, options);
  }

  override forward(x: Tensor, state?: readonly [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    if (state !== undefined && (!Array.isArray(state) || state.length !== 2))
      throw new ArgumentError('LSTM: the initial state must be a pair [h0, c0]');
    const [h0, c0] = state ?? [undefined, undefined];
    const { output, finals } = this.run(x, [h0, c0], (xp, [h, c], l) => {
      const g = add(xp, this.hiddenProjection(h, l));
      const i = sigmoid(this.gate(g, 0));
      const f = sigmoid(this.gate(g, 1));
      const cell = tanh(this.gate(g, 2));
      const o = sigmoid(this.gate(g, 3));
      const cNext = add(mul(f, c), mul(i, cell));
      return [mul(o, tanh(cNext)), cNext];
    });
    return [output, [finals[0], finals[1]]];
  }
}

/**
 * Gated recurrent unit (PyTorch's `nn.GRU`, gates r, z, n): n = tanh(W_in·x + b_in + r⊙(W_hn·h + b_hn)),
 * h_t = (1 − z)⊙n + z⊙h_{t−1}. `forward(x, h0?)` returns [output, h_n].
 */
export class GRU extends Recurrent<Tensor> {
  constructor(inputSize: number, hiddenSize: number, options: RecurrentOptions = {}) {
    super('GRU', 3, inputSize, hiddenSize, options);
  }

  override forward(x: Tensor, h0?: Tensor): [Tensor, Tensor] {
    if (Array.isArray(h0)) throw new ArgumentError('GRU: h0 must be a tensor, not an array');
    const { output, finals } = this.run(x, [h0], (xp, [h], l) => {
      const hp = this.hiddenProjection(h, l);
      const r = sigmoid(add(this.gate(xp, 0), this.gate(hp, 0)));
      const z = sigmoid(add(this.gate(xp, 1), this.gate(hp, 1)));
      const n = tanh(add(this.gate(xp, 2), mul(r, this.gate(hp, 2))));
      return [add(mul(sub(1, z), n), mul(z, h))];
    });
    return [output, finals[0]];
  }
}
