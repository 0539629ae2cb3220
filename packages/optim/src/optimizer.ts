import {
  ArgumentError,
  DTypeError,
  dispose,
  enableGrad,
  formatShape,
  fromArray,
  keep,
  noGrad,
  ShapeError,
  shapesEqual,
  type Tensor,
  tidy,
  zerosLike,
} from '@backprop/core';

/** Options every optimizer has. */
export interface BaseOptions {
  /** Learning rate. */
  lr: number;
}

/**
 * A parameter group: the tensors and the options they are updated with. Schedulers write `lr`
 * (and `initialLr`, momentum, …) here, as in PyTorch's `param_groups`.
 */
export type ParamGroup<O extends BaseOptions = BaseOptions> = O & {
  params: Tensor[];
  [key: string]: unknown;
};

/** A group as the caller gives it: its tensors and the options that differ from the defaults. */
export type ParamGroupInput<O extends BaseOptions = BaseOptions> = { params: readonly Tensor[] } & Partial<O>;

/** What an optimizer accepts: a flat list of parameters (one group) or groups with their own options. */
export type Params<O extends BaseOptions = BaseOptions> = readonly Tensor[] | readonly ParamGroupInput<O>[];

/** Per-parameter state: a step count and named buffers. */
export type ParamState = Record<string, Tensor | number>;

/** A tensor in a state dict: exact float32 values as plain numbers (JSON) or a Float32Array. */
export interface SerializedTensor {
  shape: number[];
  dtype: 'float32';
  data: number[] | Float32Array;
}

/**
 * An optimizer's state, JSON-serialisable (with the default `typedArrays: false`), like PyTorch's
 * `state_dict()`:
 *
 * ```
 * {
 *   format: 'backprop.optimizer/1',
 *   optimizer: 'Adam',
 *   paramGroups: [{ lr: 0.001, betas: [0.9, 0.999], ..., params: [0, 1, 2] }],
 *   state: { '0': { step: 3, expAvg: { shape: [2, 2], dtype: 'float32', data: [...] }, ... }, ... }
 * }
 * ```
 *
 * Parameters are named by their position counting through the groups in order (`params` lists
 * those positions), so the state loads into an optimizer built the same way over other tensors.
 * Buffers hold float32 values; every float32 is exactly a JavaScript number and `JSON.stringify`
 * prints the shortest round-trip decimal, so `JSON.parse(JSON.stringify(sd))` loads back the exact
 * bits and training resumes exactly.
 */
export interface OptimizerStateDict {
  format: 'backprop.optimizer/1';
  optimizer: string;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
  state: Record<string, Record<string, number | SerializedTensor>>;
}

export interface StateDictOptions {
  /** Buffers as Float32Arrays (for binary checkpoints) instead of number arrays (for JSON). */
  typedArrays?: boolean;
}

const FORMAT = 'backprop.optimizer/1';

/**
 * The base of every optimizer: parameter groups with their own options, per-parameter state kept
 * alive with `keep` and updated in place with `assign`, all under `noGrad` and `tidy`, so a
 * training loop holds a constant `memory().numTensors` from step to step.
 *
 * Subclasses implement {@link Optimizer.updateParam} (one parameter, one step).
 */
export abstract class Optimizer<O extends BaseOptions = BaseOptions> {
  /** The options groups fall back to. */
  readonly defaults: Readonly<O>;
  /** The groups, in order; options can be changed between steps (schedulers do). */
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created at a parameter's first update. */
  readonly state = new Map<Tensor, ParamState>();
  /** The name stored in state dicts (`'SGD'`, `'Adam'`, …). */
  readonly name: string;

  constructor(name: string, params: Params<O>, defaults: O) {
    this.name = name;
    this.defaults = Object.freeze({ ...defaults });
    if (params.length === 0) throw new ArgumentError('optimizer: got an empty parameter list');
    const isGroups = params.every(
      (p) => !(p as Tensor).shape && Array.isArray((p as ParamGroupInput<O>).params),
    );
    const groups = isGroups
      ? (params as readonly ParamGroupInput<O>[])
      : [{ params: params as readonly Tensor[] } as ParamGroupInput<O>];
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a group; options it leaves out come from the defaults. */
  addParamGroup(input: ParamGroupInput<O>): void {
    const params = [...input.params];
    if (params.length === 0) throw new ArgumentError(`${this.opName()}: a parameter group has no parameters`);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of params) {
      if (p.dtype !== 'float32')
        throw new DTypeError(`${this.opName()}: parameters must be float32, got ${p.dtype}`);
      if (!p.isLeaf)
        throw new ArgumentError(
          `${this.opName()}: can only optimize leaf tensors (parameters), got one made by '${p.gradFn?.name}'`,
        );
      if (seen.has(p))
        throw new ArgumentError(`${this.opName()}: a parameter appears in more than one group (or twice)`);
      seen.add(p);
    }
    const group = {
      ...cloneOptions(this.defaults as unknown as Record<string, unknown>),
      ...cloneOptions(input as Record<string, unknown>),
      params,
    } as ParamGroup<O>;
    this.validate(group);
    this.paramGroups.push(group);
  }

  /**
   * Clears the gradients of every parameter. With `setToNone` (the default, as in PyTorch) the
   * gradient tensors are disposed and `.grad` becomes null; otherwise they are filled with zeros.
   */
  zeroGrad(setToNone = true): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        if (setToNone) {
          p.grad.dispose();
          p.grad = null;
        } else {
          const g = p.grad;
          noGrad(() => tidy(() => void g.assign(zerosLike(g))));
        }
      }
    }
  }

  /**
   * Updates every parameter that has a gradient. With a `closure` (which recomputes the loss and
   * calls `backward`), runs it first with gradients on and returns its result.
   */
  step<T = undefined>(closure?: () => T): T | undefined {
    const result = closure ? enableGrad(closure) : undefined;
    noGrad(() =>
      tidy(() => {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            if (!p.grad) continue;
            if (!shapesEqual(p.grad.shape, p.shape)) {
              throw new ShapeError(
                `${this.opName()}: gradient ${formatShape(p.grad.shape)} does not match parameter ${formatShape(p.shape)}`,
              );
            }
            let state = this.state.get(p);
            if (!state) {
              state = {};
              this.state.set(p, state);
            }
            this.updateParam(p, p.grad, group, state);
          }
        }
      }),
    );
    return result;
  }

  /**
   * One update of `param` with gradient `grad`. Runs inside `noGrad` and `tidy`: buffers created
   * here must be `keep`t (see {@link Optimizer.buffer}); parameters and buffers change with `assign`.
   */
  protected abstract updateParam(param: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;

  /** Checks a group's options; throws ArgumentError naming the bad one. */
  protected validate(group: ParamGroup<O>): void {
    if (!(group.lr >= 0))
      throw new ArgumentError(`${this.opName()}: invalid learning rate ${group.lr} (expected lr >= 0)`);
  }

  /** A kept buffer in `state` under `key`, made by `init` the first time. */
  protected buffer(state: ParamState, key: string, init: () => Tensor): Tensor {
    const existing = state[key];
    if (existing !== undefined) return existing as Tensor;
    const t = keep(init());
    state[key] = t;
    return t;
  }

  private opName(): string {
    return this.name;
  }

  private flatParams(): Tensor[] {
    return this.paramGroups.flatMap((g) => g.params);
  }

  /** The optimizer's state (see {@link OptimizerStateDict}); reads buffers synchronously. */
  stateDict(options: StateDictOptions = {}): OptimizerStateDict {
    return this.buildStateDict((t) => t.dataSync() as Float32Array, options);
  }

  /** {@link Optimizer.stateDict} for backends that cannot read synchronously. */
  async stateDictAsync(options: StateDictOptions = {}): Promise<OptimizerStateDict> {
    const values = new Map<Tensor, Float32Array>();
    for (const state of this.state.values()) {
      for (const v of Object.values(state))
        if (typeof v !== 'number') values.set(v, (await v.data()) as Float32Array);
    }
    return this.buildStateDict((t) => values.get(t) as Float32Array, options);
  }

  private buildStateDict(read: (t: Tensor) => Float32Array, options: StateDictOptions): OptimizerStateDict {
    const index = new Map<Tensor, number>();
    this.flatParams().forEach((p, i) => {
      index.set(p, i);
    });
    const paramGroups = this.paramGroups.map((g) => {
      const { params, ...rest } = g;
      return { ...cloneOptions(rest), params: params.map((p) => index.get(p) as number) };
    });
    const state: OptimizerStateDict['state'] = {};
    for (const [p, s] of this.state) {
      const entry: Record<string, number | SerializedTensor> = {};
      for (const [key, v] of Object.entries(s)) {
        if (typeof v === 'number') {
          entry[key] = v;
        } else {
          const data = Float32Array.from(read(v));
          entry[key] = {
            shape: [...v.shape],
            dtype: 'float32',
            data: options.typedArrays ? data : Array.from(data),
          };
        }
      }
      state[String(index.get(p))] = entry;
    }
    return { format: FORMAT, optimizer: this.name, paramGroups, state };
  }

  /**
   * Restores a state dict from {@link Optimizer.stateDict} (possibly through JSON): group options
   * and per-parameter state, matched by position. The optimizer must have been built with the same
   * group sizes and parameter shapes. Buffers are created on each parameter's backend.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    if (!sd || sd.format !== FORMAT)
      throw new ArgumentError(`${this.name}.loadStateDict: not a '${FORMAT}' state dict`);
    if (sd.optimizer !== this.name) {
      throw new ArgumentError(
        `${this.name}.loadStateDict: the state dict is for ${sd.optimizer}, not ${this.name}`,
      );
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new ArgumentError(
        `${this.name}.loadStateDict: ${sd.paramGroups.length} parameter groups in the state dict, ${this.paramGroups.length} here`,
      );
    }
    sd.paramGroups.forEach((g, i) => {
      if (g.params.length !== this.paramGroups[i].params.length) {
        throw new ArgumentError(
          `${this.name}.loadStateDict: group ${i} has ${g.params.length} parameters in the state dict, ${this.paramGroups[i].params.length} here`,
        );
      }
    });
    const byIndex = new Map<number, Tensor>();
    sd.paramGroups.forEach((g, gi) => {
      g.params.forEach((index, j) => {
        byIndex.set(index, this.paramGroups[gi].params[j]);
      });
    });
    // Validate everything before changing anything.
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (!p)
        throw new ArgumentError(
          `${this.name}.loadStateDict: state for parameter ${key}, which no group lists`,
        );
      for (const [name, v] of Object.entries(entry)) {
        if (typeof v === 'number') continue;
        if (!shapesEqual(v.shape, p.shape)) {
          throw new ShapeError(
            `${this.name}.loadStateDict: state '${name}' of parameter ${key} is ${formatShape(v.shape)}, the parameter ${formatShape(p.shape)}`,
          );
        }
      }
    }
    const loaded = new Map<Tensor, ParamState>();
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key)) as Tensor;
      const s: ParamState = {};
      for (const [name, v] of Object.entries(entry)) {
        s[name] =
          typeof v === 'number'
            ? v
            : keep(fromArray(Float32Array.from(v.data), v.shape, { device: p.device }));
      }
      loaded.set(p, s);
    }
    this.disposeState();
    for (const [p, s] of loaded) this.state.set(p, s);
    sd.paramGroups.forEach((g, i) => {
      const { params: _, ...options } = g;
      const group = this.paramGroups[i];
      Object.assign(group, cloneOptions(options));
    });
  }

  /** Disposes every state buffer (the optimizer starts fresh at its next step). */
  disposeState(): void {
    for (const s of this.state.values()) dispose(Object.values(s));
    this.state.clear();
  }

  /** Frees the optimizer's tensors; parameters stay the caller's. */
  dispose(): void {
    this.disposeState();
  }
}

/** A copy of group options with arrays copied, so groups and state dicts never share them. */
function cloneOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (k === 'params') continue;
    out[k] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}
