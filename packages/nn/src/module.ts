import {
  ArgumentError,
  cast,
  checkBoolean,
  checkOptions,
  describeValue,
  formatShape,
  keep,
  noGrad,
  ShapeError,
  shapesEqual,
  type Tensor,
} from '@backprop/core';
import { isParameter, type Parameter } from './parameter.js';

/** A module of any signature (what containers hold). */
// biome-ignore lint/suspicious/noExplicitAny: a container holds modules of every signature.
export type AnyModule = Module<any, any>;

/** Parameters and buffers by dotted name (`layers.0.weight`), as `stateDict()` returns them. */
export type StateDict = Record<string, Tensor>;

export interface LoadStateDictOptions {
  /** Require exactly the module's names: no missing and no unexpected keys (default true). Shapes must always match. */
  strict?: boolean;
  /**
   * Refuse values holding NaN or ±Infinity (default false, as PyTorch). Reads the values, so it
   * needs a backend with synchronous reads; a reader of untrusted files should turn it on.
   */
  requireFinite?: boolean;
}

export interface LoadStateDictResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Called after each `call()` with the module, its arguments and its output. */
export type ForwardHook = (module: AnyModule, inputs: readonly unknown[], output: unknown) => void;

function isTensorLike(v: unknown): v is Tensor {
  return (
    typeof v === 'object' && v !== null && 'shape' in v && 'dtype' in v && 'isDisposed' in v && 'assign' in v
  );
}

/** `key: value at index i` for each value of `source` (of a key the module has) holding NaN or ±Infinity. */
function nonFiniteEntries(targets: StateDict, source: ReadonlyMap<string, Tensor>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(targets)) {
    const value = source.get(key);
    if (!isTensorLike(value) || value.isDisposed || value.dtype !== 'float32') continue;
    const data = value.dataSync();
    const bad = data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) out.push(`${key} holds ${data[bad]} at element ${bad}`);
  }
  return out;
}

function checkName(what: string, name: string): void {
  if (typeof name !== 'string' || name === '' || name.includes('.')) {
    throw new ArgumentError(
      `${what}: name must be a non-empty string without '.', got ${JSON.stringify(name)}`,
    );
  }
}

function countElements(tensors: readonly Tensor[]): number {
  return tensors.reduce((n, t) => n + t.size, 0);
}

function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/**
 * The base class of layers and models, after PyTorch's `nn.Module`. A module finds its parameters
 * (tensors made with `parameter()`) and child modules in its own properties, in the order they
 * were assigned (arrays of modules or parameters count too, named `key.0`, `key.1`, …); buffers
 * (state that is saved but not learned, like BatchNorm's running mean) are declared with
 * `registerBuffer`. Subclasses implement `forward`; callers use `call` (which also runs hooks).
 *
 * @example
 * class Net extends Module {
 *   fc1 = new Linear(4, 8);
 *   fc2 = new Linear(8, 2);
 *   forward(x: Tensor) { return this.fc2.call(this.fc1.call(x).relu()); }
 * }
 */
export abstract class Module<In extends unknown[] = [Tensor], Out = Tensor> {
  /** Whether the module is in training mode (`train()`) or evaluation mode (`eval()`). */
  training = true;
  private readonly _bufferNames = new Set<string>();
  private readonly _forwardHooks: ForwardHook[] = [];

  /** The computation. Call modules through `call`, which also runs forward hooks. */
  abstract forward(...inputs: In): Out;

  /** Runs `forward` and then the forward hooks: `model.call(x)`. */
  call(...inputs: In): Out {
    const output = this.forward(...inputs);
    for (const hook of this._forwardHooks) hook(this, inputs, output);
    return output;
  }

  /** Registers a hook run after every `call`; returns a function that removes it. */
  registerForwardHook(hook: ForwardHook): () => void {
    if (typeof hook !== 'function')
      throw new ArgumentError(`registerForwardHook: hook must be a function, got ${describeValue(hook)}`);
    this._forwardHooks.push(hook);
    return () => {
      const i = this._forwardHooks.indexOf(hook);
      if (i >= 0) this._forwardHooks.splice(i, 1);
    };
  }

  /** The name shown by `toString()` and `summary()`: the class name unless overridden. */
  get typeName(): string {
    return this.constructor.name;
  }

  /** Makes `value` a parameter and stores it as property `name` (null registers an absent parameter, like a bias turned off). */
  registerParameter<P extends Parameter | null>(name: string, value: P): P {
    checkName('registerParameter', name);
    if (value !== null && !isParameter(value)) {
      throw new ArgumentError(`registerParameter: '${name}' must be made with parameter() (or be null)`);
    }
    this._bufferNames.delete(name);
    (this as Record<string, unknown>)[name] = value;
    return value;
  }

  /**
   * Stores `value` as property `name` and declares it a buffer: saved in `stateDict`, moved by
   * `to`, but not a parameter. Buffers are exempt from `tidy`; update them in place with `assign`.
   */
  registerBuffer<T extends Tensor | null>(name: string, value: T): T {
    checkName('registerBuffer', name);
    if (value !== null && !isTensorLike(value))
      throw new ArgumentError(`registerBuffer: '${name}' must be a tensor or null`);
    if (value !== null) keep(value);
    this._bufferNames.add(name);
    (this as Record<string, unknown>)[name] = value;
    return value;
  }

  /** Stores `module` as child `name` (the same as assigning a property). */
  registerModule<M extends AnyModule | null>(name: string, module: M): M {
    checkName('registerModule', name);
    if (module !== null && !(module instanceof Module))
      throw new ArgumentError(`registerModule: '${name}' must be a Module or null`);
    (this as Record<string, unknown>)[name] = module;
    return module;
  }

  /** This module's own parameters, buffers and children, read from its properties. */
  private own(): {
    params: [string, Parameter][];
    buffers: [string, Tensor][];
    children: [string, AnyModule][];
  } {
    const params: [string, Parameter][] = [];
    const buffers: [string, Tensor][] = [];
    const children: [string, AnyModule][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (key === '_bufferNames' || key === '_forwardHooks') continue;
      if (this._bufferNames.has(key)) {
        if (isTensorLike(value)) buffers.push([key, value]);
        continue;
      }
      if (isParameter(value)) params.push([key, value]);
      else if (value instanceof Module) children.push([key, value]);
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (isParameter(item)) params.push([`${key}.${i}`, item]);
          else if (item instanceof Module) children.push([`${key}.${i}`, item]);
        });
      }
    }
    return { params, buffers, children };
  }

  /** Direct children with their names. */
  namedChildren(): [string, AnyModule][] {
    const seen = new Set<AnyModule>();
    return this.own().children.filter(([, m]) => {
      if (seen.has(m)) return false;
      seen.add(m);
      return true;
    });
  }

  /** Direct children. */
  children(): AnyModule[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every descendant, each once, with dotted names ('' for this module), parents before children. */
  namedModules(prefix = ''): [string, AnyModule][] {
    const out: [string, AnyModule][] = [];
    const seen = new Set<AnyModule>();
    const visit = (name: string, m: AnyModule) => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([name, m]);
      for (const [childName, child] of m.namedChildren())
        visit(name ? `${name}.${childName}` : childName, child);
    };
    visit(prefix, this);
    return out;
  }

  /** This module and every descendant, each once. */
  modules(): AnyModule[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters with stable dotted names (`layers.0.weight`); a shared parameter is listed once, under its first name. */
  namedParameters(recurse = true): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Tensor>();
    const modules: [string, AnyModule][] = recurse ? this.namedModules() : [['', this]];
    for (const [prefix, m] of modules) {
      for (const [name, p] of m.own().params) {
        if (seen.has(p)) continue;
        seen.add(p);
        out.push([prefix ? `${prefix}.${name}` : name, p]);
      }
    }
    return out;
  }

  /** Parameters (of descendants too unless `recurse` is false), each once: what an optimizer takes. */
  parameters(recurse = true): Parameter[] {
    return this.namedParameters(recurse).map(([, p]) => p);
  }

  /** Buffers with dotted names. */
  namedBuffers(recurse = true): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    const seen = new Set<Tensor>();
    const modules: [string, AnyModule][] = recurse ? this.namedModules() : [['', this]];
    for (const [prefix, m] of modules) {
      for (const [name, b] of m.own().buffers) {
        if (seen.has(b)) continue;
        seen.add(b);
        out.push([prefix ? `${prefix}.${name}` : name, b]);
      }
    }
    return out;
  }

  /** Buffers (of descendants too unless `recurse` is false). */
  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, b]) => b);
  }

  /** Number of parameter elements (only those with `requiresGrad` when `trainableOnly`). */
  parameterCount(trainableOnly = false): number {
    return countElements(this.parameters().filter((p) => !trainableOnly || p.requiresGrad));
  }

  /** Sets training mode here and in every descendant (Dropout and BatchNorm behave differently). */
  train(mode = true): this {
    checkBoolean('train', 'mode', mode);
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode: `train(false)`. */
  eval(): this {
    return this.train(false);
  }

  /** Disposes and clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.parameters()) {
      p.grad?.dispose();
      p.grad = null;
    }
  }

  /** Calls `fn` on every descendant and then on this module (children first, as PyTorch). */
  apply(fn: (module: AnyModule) => void): this {
    if (typeof fn !== 'function')
      throw new ArgumentError(`apply: fn must be a function, got ${describeValue(fn)}`);
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and buffers by dotted name. The values are the live tensors themselves (not
   * copies), so save or read them before training on.
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [prefix, m] of this.namedModules()) {
      const own = m.own();
      for (const [name, t] of [...own.params, ...own.buffers]) {
        const key = prefix ? `${prefix}.${name}` : name;
        if (!(key in out)) out[key] = t;
      }
    }
    return out;
  }

  /**
   * Copies values into the parameters and buffers in place (with `assign`, so optimizers holding
   * them keep working). Shapes must match; with `strict` (the default) the names must match
   * exactly too. Values on another backend are moved; values of another dtype are cast.
   */
  loadStateDict(
    dict: StateDict | ReadonlyMap<string, Tensor>,
    options: LoadStateDictOptions = {},
  ): LoadStateDictResult {
    const where = `loadStateDict (${this.typeName})`;
    const checked = checkOptions<LoadStateDictOptions>(where, options, ['strict', 'requireFinite']);
    const strict = checkBoolean(where, 'strict', checked.strict) ?? true;
    const requireFinite = checkBoolean(where, 'requireFinite', checked.requireFinite) ?? false;
    if (
      !(dict instanceof Map) &&
      (dict === null || typeof dict !== 'object' || Array.isArray(dict) || isTensorLike(dict))
    ) {
      throw new ArgumentError(
        `${where}: expected a state dict (an object or a Map from names to tensors), got ${describeValue(dict)}`,
      );
    }
    const source =
      dict instanceof Map ? (dict as ReadonlyMap<string, Tensor>) : new Map(Object.entries(dict));
    const targets = this.stateDict();
    const missingKeys = Object.keys(targets).filter((k) => !source.has(k));
    const unexpectedKeys = [...source.keys()].filter((k) => !(k in targets));
    const mismatches: string[] = [];
    const notTensors: string[] = [];
    for (const [key, target] of Object.entries(targets)) {
      if (!source.has(key)) continue;
      const value = source.get(key);
      if (!isTensorLike(value)) {
        notTensors.push(`${key}: expected a tensor, got ${describeValue(value)}`);
      } else if (value.isDisposed) {
        notTensors.push(`${key}: the tensor was disposed`);
      } else if (!shapesEqual(value.shape, target.shape)) {
        mismatches.push(
          `${key}: the module has shape ${formatShape(target.shape)}, the state dict ${formatShape(value.shape)}`,
        );
      }
    }
    const nonFinite = requireFinite ? nonFiniteEntries(targets, source) : [];
    const problems: string[] = [];
    if (strict && missingKeys.length > 0) problems.push(`missing keys: ${missingKeys.join(', ')}`);
    if (strict && unexpectedKeys.length > 0) problems.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    if (notTensors.length > 0) problems.push(`values that are not tensors: ${notTensors.join('; ')}`);
    if (mismatches.length > 0) problems.push(`shape mismatches: ${mismatches.join('; ')}`);
    if (nonFinite.length > 0)
      problems.push(`non-finite values (expected finite numbers): ${nonFinite.join('; ')}`);
    if (problems.length > 0) {
      const message = `${where}: ${problems.join('; ')}`;
      const keyProblems = strict && (missingKeys.length > 0 || unexpectedKeys.length > 0);
      throw mismatches.length > 0 && !keyProblems && notTensors.length === 0 && nonFinite.length === 0
        ? new ShapeError(message)
        : new ArgumentError(message);
    }
    noGrad(() => {
      for (const [key, target] of Object.entries(targets)) {
        const value = source.get(key);
        if (value === undefined || value === target) continue;
        const temporaries: Tensor[] = [];
        let src = value;
        if (src.device !== target.device) {
          src = src.to(target.device);
          temporaries.push(src);
        }
        if (src.dtype !== target.dtype) {
          src = cast(src, target.dtype);
          temporaries.push(src);
        }
        target.assign(src);
        for (const t of temporaries) t.dispose();
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Moves every parameter and buffer (and their gradients) to the backend named `device`, in place. */
  to(device: string): this {
    if (typeof device !== 'string')
      throw new ArgumentError(`to: device must be a backend name, got ${describeValue(device)}`);
    for (const t of [...this.parameters(), ...this.buffers()]) t.moveTo(device);
    return this;
  }

  /** Frees every parameter and buffer (and their gradients). The module cannot be used afterwards. */
  dispose(): void {
    for (const t of [...this.parameters(), ...this.buffers()]) t.dispose();
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** Extra text shown inside the parentheses of `toString()`, e.g. `inFeatures=4, outFeatures=2, bias=true`. */
  extraRepr(): string {
    return '';
  }

  /** A PyTorch-style nested description of the module tree. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.typeName}(${this.extraRepr()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(
      ([name, child]) => `  (${name}): ${child.toString().split('\n').join('\n  ')}`,
    );
    return `${head}\n${lines.join('\n')}\n)`;
  }

  /**
   * A table of the module tree: one row per module with its own parameters' count and shapes,
   * then the totals (all, trainable, frozen) and buffers.
   */
  summary(): string {
    const rows: [string, string, string, string][] = [];
    const all: [string, AnyModule, number][] = [];
    const seen = new Set<AnyModule>();
    const visit = (name: string, m: AnyModule, depth: number) => {
      if (seen.has(m)) return;
      seen.add(m);
      all.push([name, m, depth]);
      for (const [childName, child] of m.namedChildren())
        visit(name ? `${name}.${childName}` : childName, child, depth + 1);
    };
    visit('', this, -1);
    // The root gets a row when it holds parameters of its own (or is all there is).
    const listed = all.length > 1 && this.namedParameters(false).length === 0 ? all.slice(1) : all;
    for (const [name, m, depth] of listed) {
      const own = m.namedParameters(false);
      const count = countElements(own.map(([, p]) => p));
      const shapes = own
        .map(([n, p]) => `${n} ${formatShape(p.shape)}${p.requiresGrad ? '' : ' (frozen)'}`)
        .join(', ');
      rows.push([
        `${'  '.repeat(Math.max(depth, 0))}${name || '(root)'}`,
        m.typeName,
        formatCount(count),
        shapes,
      ]);
    }
    const header: [string, string, string, string] = ['Layer', 'Type', 'Params', 'Shapes'];
    const widths = [0, 1, 2].map((c) => Math.max(header[c].length, ...rows.map((r) => r[c].length)));
    const format = (r: [string, string, string, string]) =>
      `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}  ${r[3]}`.trimEnd();
    const rule = '-'.repeat(
      Math.max(widths[0] + widths[1] + widths[2] + 10, ...rows.map((r) => format(r).length)),
    );
    const params = this.parameters();
    const total = countElements(params);
    const trainable = countElements(params.filter((p) => p.requiresGrad));
    const buffers = this.buffers();
    return [
      `${this.typeName} summary`,
      rule,
      format(header),
      rule,
      ...rows.map(format),
      rule,
      `Total params: ${formatCount(total)}`,
      `Trainable params: ${formatCount(trainable)}`,
      `Non-trainable params: ${formatCount(total - trainable)}`,
      `Buffers: ${buffers.length} (${formatCount(countElements(buffers))} elements)`,
    ].join('\n');
  }
}
