import { BackpropError } from '@backprop/core';

type Require = (id: string) => unknown;

/**
 * Node's `require` for this module: `module.createRequire(import.meta.url)` (Node >= 20.16, ESM and
 * CommonJS builds alike), else CommonJS's own `require`; undefined outside Node.
 */
export function nodeRequire(): Require | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:module') as { createRequire(url: string): Require } | undefined;
  if (mod) return mod.createRequire(import.meta.url);
  return typeof require === 'function' ? require : undefined;
}

/** An optional package (or Node itself) that a loader needs is missing; the message says how to install it. */
export class MissingPackageError extends BackpropError {
  override name = 'MissingPackageError';
}

/** Loads a CommonJS package, with an error that says how to install it when it is missing. */
export function loadPackage(name: string, version: string, what: string): unknown {
  const req = nodeRequire();
  if (!req)
    throw new MissingPackageError(
      `${what} needs Node.js >= 20.16 (it loads the '${name}' package with require)`,
    );
  try {
    return req(name);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = String((e as { message?: string }).message ?? '');
    if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && message.includes(`'${name}'`)) {
      throw new MissingPackageError(
        `${what} needs the '${name}' package: install it with \`pnpm add ${name}@${version}\` (or npm i ${name}@${version})`,
      );
    }
    if (message.includes('Dynamic require')) {
      throw new MissingPackageError(
        `${what} needs Node.js >= 20.16 to load the '${name}' package from an ES module`,
      );
    }
    throw e;
  }
}
