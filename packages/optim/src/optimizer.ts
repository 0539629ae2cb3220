import {
  ArgumentError,
  DTypeError,
  describeValue,
  dispose,
  enableGrad,
  formatShape,
  fromArray,
  keep,
  noGrad,
  ShapeError,
  shapesEqual,
  Tensor,
  tidy,
  zerosLike,
} from '@backprop/core';
import { check, checkOptionKeys, isRecord, type Rule } from './validate.js';

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

/** What an entry of per-parameter state holds: a step count, another number, or a buffer shaped like the parameter. */
export type StateKind = 'count' | 'number' | 'tensor';

/**
 * What a subclass tells the base about itself: its name, defaults, how each option is checked
 * (the shared rules of `validate.ts`), and the per-parameter state entries it keeps, which is what
 * {@link Optimizer.loadStateDict} accepts.
 */
export interface OptimizerSpec<O extends BaseOptions> {
  name: string;
  defaults: O;
  rules: { readonly [K in keyof O]: Rule };
  state: Readonly<Record<string, StateKind>>;
}

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

  private readonly rules: OptimizerSpec<O>['rules'];
  private readonly stateKinds: OptimizerSpec<O>['state'];

  /**
   * Checks `options` against the spec (unknown names and bad values throw ArgumentError), then
   * adds `params` as one group or as the groups given.
   */
  constructor(spec: OptimizerSpec<O>, params: Params<O>, options: Partial<O> = {}) {
    this.name = spec.name;
    this.rules = spec.rules;
    this.stateKinds = spec.state;
    checkOptionKeys(this.name, options, Object.keys(spec.rules));
    this.defaults = Object.freeze({ ...spec.defaults, ...definedEntries(options) });
    this.validate({ ...this.defaults, params: [] } as unknown as ParamGroup<O>);
    const list = toArray(params);
    if (list === null) {
      throw new ArgumentError(
        `${this.name}: params must be an array of tensors or of parameter groups, got ${describeValue(params)}`,
      );
    }
    if (list.length === 0) throw new ArgumentError(`${this.name}: got an empty parameter list`);
    const isGroups = list.every((p) => isRecord(p) && !(p instanceof Tensor) && 'params' in p);
    const groups = isGroups
      ? (list as ParamGroupInput<O>[])
      : [{ params: list as Tensor[] } as unknown as ParamGroupInput<O>];
    for (const g of groups) this.addParamGroup(g);
  }

  /** Adds a group; options it leaves out come from the defaults. */
  addParamGroup(input: ParamGroupInput<O>): void {
    if (!isRecord(input))
      throw new ArgumentError(
        `${this.name}: a parameter group must be an object, got ${describeValue(input)}`,
      );
    const params = toArray(input.params);
    if (params === null) {
      throw new ArgumentError(
        `${this.name}: a parameter group's params must be an array of tensors, got ${describeValue(input.params)}`,
      );
    }
    if (params.length === 0) throw new ArgumentError(`${this.name}: a parameter group has no parameters`);
    const { params: _, ...options } = input;
    // A group may also carry the base lr a scheduler recorded (PyTorch's `initial_lr`).
    checkOptionKeys(`${this.name}: a parameter group`, options, [...Object.keys(this.rules), 'initialLr']);
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    params.forEach((p, i) => {
      if (!(p instanceof Tensor)) {
        throw new ArgumentError(
          `${this.name}: params[${i}] must be a Tensor (a parameter), got ${describeValue(p)}`,
        );
      }
      if (p.isDisposed) throw new ArgumentError(`${this.name}: params[${i}] (tensor ${p.id}) was disposed`);
      if (p.dtype !== 'float32')
        throw new DTypeError(`${this.name}: parameters must be float32, got ${p.dtype} at params[${i}]`);
      if (!p.isLeaf)
        throw new ArgumentError(
          `${this.name}: can only optimize leaf tensors (parameters), got one made by '${p.gradFn?.name}' at params[${i}]`,
        );
      if (seen.has(p))
        throw new ArgumentError(`${this.name}: a parameter appears in more than one group (or twice)`);
      seen.add(p);
    });
    const group = {
      ...cloneOptions(this.defaults as unknown as Record<string, unknown>),
      ...cloneOptions(definedEntries(options)),
      params: params as Tensor[],
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
    if (closure !== undefined && typeof closure !== 'function')
      throw new ArgumentError(`${this.name}.step: closure must be a function, got ${describeValue(closure)}`);
    const result = closure ? enableGrad(closure) : undefined;
    noGrad(() =>
      tidy(() => {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            if (!p.grad) continue;
            if (!shapesEqual(p.grad.shape, p.shape)) {
              throw new ShapeError(
                `${this.name}: gradient ${formatShape(p.grad.shape)} does not match parameter ${formatShape(p.shape)}`,
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

  /** Checks a group's options with the spec's rules, then {@link Optimizer.checkGroup}. */
  private validate(group: ParamGroup<O>): void {
    for (const key of Object.keys(this.rules) as (keyof O & string)[]) {
      check(this.name, key, group[key], this.rules[key]);
    }
    this.checkGroup(group);
  }

  /** Checks that tie options together (SGD's Nesterov needs momentum); each option alone is already valid. */
  protected checkGroup(_group: ParamGroup<O>): void {}

  /** A kept buffer in `state` under `key`, made by `init` the first time. */
  protected buffer(state: ParamState, key: string, init: () => Tensor): Tensor {
    const existing = state[key];
    if (existing !== undefined) return existing as Tensor;
    const t = keep(init());
    state[key] = t;
    return t;
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
   * group sizes and parameter shapes. Everything is checked before anything changes: a malformed
   * state dict (wrong types, lengths, option values, unknown state entries) throws ArgumentError,
   * a buffer of the wrong shape ShapeError, and the optimizer stays as it was. Buffers are created
   * on each parameter's backend.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    if (!isRecord(sd) || sd.format !== FORMAT)
      throw new ArgumentError(`${where}: expected a '${FORMAT}' state dict, got ${describeValue(sd)}`);
    if (sd.optimizer !== this.name) {
      throw new ArgumentError(
        `${where}: the state dict is for ${typeof sd.optimizer === 'string' ? sd.optimizer : describeValue(sd.optimizer)}, not ${this.name}`,
      );
    }
    const groups = this.checkGroupsToLoad(where, sd.paramGroups);
    const byIndex = new Map<number, Tensor>();
    groups.forEach((g, gi) => {
      g.params.forEach((index, j) => {
        byIndex.set(index, this.paramGroups[gi].params[j]);
      });
    });
    if (!isRecord(sd.state))
      throw new ArgumentError(`${where}: state must be an object, got ${describeValue(sd.state)}`);
    for (const [key, entry] of Object.entries(sd.state)) {
      const p = byIndex.get(Number(key));
      if (!p || String(Number(key)) !== key)
        throw new ArgumentError(`${where}: state for parameter '${key}', which no group lists`);
      this.checkStateEntry(`${where}: state of parameter ${key}`, entry, p);
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
    groups.forEach((g, i) => {
      const { params: _, ...options } = g;
      Object.assign(this.paramGroups[i], cloneOptions(options));
    });
  }

  /** The state dict's groups, checked: as many as here, each listing as many distinct parameters, with valid options. */
  private checkGroupsToLoad(where: string, groups: unknown): OptimizerStateDict['paramGroups'] {
    if (!Array.isArray(groups))
      throw new ArgumentError(`${where}: paramGroups must be an array, got ${describeValue(groups)}`);
    if (groups.length !== this.paramGroups.length) {
      throw new ArgumentError(
        `${where}: ${groups.length} parameter groups in the state dict, ${this.paramGroups.length} here`,
      );
    }
    const total = this.flatParams().length;
    const seen = new Set<number>();
    groups.forEach((g: unknown, i) => {
      if (!isRecord(g) || !Array.isArray(g.params)) {
        throw new ArgumentError(
          `${where}: paramGroups[${i}] must be an object with a params array, got ${describeValue(g)}`,
        );
      }
      const here = this.paramGroups[i];
      if (g.params.length !== here.params.length) {
        throw new ArgumentError(
          `${where}: group ${i} has ${g.params.length} parameters in the state dict, ${here.params.length} here`,
        );
      }
      for (const index of g.params as unknown[]) {
        if (!(Number.isSafeInteger(index) && (index as number) >= 0 && (index as number) < total)) {
          throw new ArgumentError(
            `${where}: paramGroups[${i}].params must hold parameter numbers 0 to ${total - 1}, got ${describeValue(index)}`,
          );
        }
        if (seen.has(index as number))
          throw new ArgumentError(`${where}: parameter ${index} is listed twice in paramGroups`);
        seen.add(index as number);
      }
      const merged = { ...here, ...g, params: here.params } as ParamGroup<O>;
      try {
        this.validate(merged);
      } catch (e) {
        if (e instanceof ArgumentError) throw new ArgumentError(`${where}: paramGroups[${i}]: ${e.message}`);
        throw e;
      }
    });
    return groups as OptimizerStateDict['paramGroups'];
  }

  /** One parameter's saved state: only this optimizer's entries, each of its kind, buffers shaped like `p`. */
  private checkStateEntry(
    where: string,
    entry: unknown,
    p: Tensor,
  ): asserts entry is Record<string, number | SerializedTensor> {
    if (!isRecord(entry)) throw new ArgumentError(`${where} must be an object, got ${describeValue(entry)}`);
    for (const [name, v] of Object.entries(entry)) {
      const kind = this.stateKinds[name];
      if (kind === undefined) {
        throw new ArgumentError(
          `${where}: unknown entry '${name}' (${this.name} keeps ${Object.keys(this.stateKinds)
            .map((k) => `'${k}'`)
            .join(', ')})`,
        );
      }
      if (kind === 'count') {
        if (!(Number.isSafeInteger(v) && (v as number) >= 0))
          throw new ArgumentError(`${where}: '${name}' must be an integer ≥ 0, got ${describeValue(v)}`);
        continue;
      }
      if (kind === 'number') {
        if (!(typeof v === 'number' && Number.isFinite(v)))
          throw new ArgumentError(`${where}: '${name}' must be a finite number, got ${describeValue(v)}`);
        continue;
      }
      checkSerializedTensor(`${where}: '${name}'`, v);
      if (!shapesEqual(v.shape, p.shape)) {
        throw new ShapeError(
          `${where}: '${name}' is ${formatShape(v.shape)}, the parameter ${formatShape(p.shape)}`,
        );
      }
    }
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

/** An array of what `value` holds (arrays and other iterables), or null if it is neither. */
export function toArray(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value;
  if (value instanceof Tensor || typeof value === 'string') return null;
  const iterable = value as Partial<Iterable<unknown>> | null;
  if (typeof value === 'object' && typeof iterable?.[Symbol.iterator] === 'function')
    return [...(value as Iterable<unknown>)];
  return null;
}

/** Throws ArgumentError unless `v` is a {@link SerializedTensor} whose data length matches its shape. */
function checkSerializedTensor(where: string, v: unknown): asserts v is SerializedTensor {
  if (!isRecord(v))
    throw new ArgumentError(`${where} must be a serialized tensor or a number, got ${describeValue(v)}`);
  const { shape, dtype, data } = v;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    throw new ArgumentError(`${where}: shape must be an array of integers ≥ 0, got ${describeValue(shape)}`);
  if (dtype !== 'float32')
    throw new ArgumentError(`${where}: dtype must be 'float32', got ${describeValue(dtype)}`);
  if (!(data instanceof Float32Array || (Array.isArray(data) && data.every((x) => typeof x === 'number'))))
    throw new ArgumentError(
      `${where}: data must be an array of numbers or a Float32Array, got ${describeValue(data)}`,
    );
  const size = shape.reduce((a: number, d: number) => a * d, 1);
  if (data.length !== size) {
    throw new ShapeError(
      `${where}: ${data.length} values for shape ${formatShape(shape)} (${size} expected)`,
    );
  }
}

/** The entries whose value is not undefined (an option given as undefined means "the default"). */
function definedEntries<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
