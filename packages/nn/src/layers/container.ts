import { ArgumentError, type Tensor } from '@backprop/core';
import { type AnyModule, Module } from '../module.js';

function checkModule(what: string, m: unknown, i: number): void {
  if (!(m instanceof Module)) throw new ArgumentError(`${what}: entry ${i} is not a Module`);
}

/** Holds modules at properties '0', '1', …; the shared part of `Sequential` and `ModuleList`. */
function countEntries(m: object): number {
  let n = 0;
  while (Object.hasOwn(m, String(n))) n++;
  return n;
}

/**
 * A chain of modules, each fed the previous one's output: `new Sequential(new Linear(4, 8), new ReLU(), new Linear(8, 2))`.
 * Children are named '0', '1', … (so parameters are `0.weight`, `2.bias`, …).
 */
export class Sequential extends Module<[Tensor], Tensor> implements Iterable<AnyModule> {
  constructor(...modules: AnyModule[]) {
    super();
    modules.forEach((m, i) => {
      checkModule('Sequential', m, i);
      this.registerModule(String(i), m);
    });
  }

  /** Number of modules in the chain. */
  get length(): number {
    return countEntries(this);
  }

  /** The module at `index` (negative counts from the end). */
  at(index: number): AnyModule {
    const n = this.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new ArgumentError(`Sequential.at: index ${index} is out of range for ${n} modules`);
    return (this as unknown as Record<string, AnyModule>)[String(i)];
  }

  /** Appends a module to the chain. */
  append(module: AnyModule): this {
    checkModule('Sequential.append', module, this.length);
    this.registerModule(String(this.length), module);
    return this;
  }

  *[Symbol.iterator](): Iterator<AnyModule> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  forward(x: Tensor): Tensor {
    let y = x;
    for (const m of this) y = m.call(y);
    return y;
  }
}

/** A list of modules whose parameters are registered (named '0', '1', …), for models that loop over layers themselves. */
export class ModuleList<M extends AnyModule = AnyModule>
  extends Module<never[], never>
  implements Iterable<M>
{
  constructor(modules: readonly M[] = []) {
    super();
    for (const m of modules) this.append(m);
  }

  get length(): number {
    return countEntries(this);
  }

  at(index: number): M {
    const n = this.length;
    const i = index < 0 ? index + n : index;
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new ArgumentError(`ModuleList.at: index ${index} is out of range for ${n} modules`);
    return (this as unknown as Record<string, M>)[String(i)];
  }

  append(module: M): this {
    checkModule('ModuleList.append', module, this.length);
    this.registerModule(String(this.length), module);
    return this;
  }

  *[Symbol.iterator](): Iterator<M> {
    for (let i = 0; i < this.length; i++) yield this.at(i);
  }

  forward(): never {
    throw new ArgumentError('ModuleList has no forward: iterate over it and call its modules');
  }
}
