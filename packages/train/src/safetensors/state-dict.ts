import { ArgumentError, fromArray, type Tensor } from '@backprop/core';
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  type IntTensorToWrite,
  readFloat32,
  type TensorEntry,
  type TensorToWrite,
} from './format.js';

/** Tensors by name, as `Module.stateDict()` returns them. */
export type TensorDict = Readonly<Record<string, Tensor>>;

/** Options of {@link saveSafetensors}. */
export interface SaveSafetensorsOptions {
  /** String metadata stored in the header's `__metadata__`. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Write PyTorch's names (`running_mean` for `runningMean`, see {@link toPyTorchName}). Default false. */
  readonly pytorchNames?: boolean;
}

/** Options of {@link loadSafetensors}. */
export interface LoadSafetensorsOptions {
  /** Map PyTorch's names to backprop's (`running_mean` to `runningMean`, see {@link fromPyTorchName}). Default false. */
  readonly pytorchNames?: boolean;
  /** Backend the tensors are created on (the active backend when absent). */
  readonly device?: string;
}

/** A safetensors file read into tensors. */
export interface LoadedSafetensors {
  /** New tensors, owned by the caller (dispose them after `loadStateDict`). */
  readonly tensors: Record<string, Tensor>;
  readonly metadata: Record<string, string>;
}

/**
 * PyTorch's name for a backprop state-dict key: every camelCase segment in snake case
 * (`0.runningMean` → `0.running_mean`, `numBatchesTracked` → `num_batches_tracked`). Names that are
 * the same in both (`weight`, `bias`, `weight_ih_l0`) pass unchanged.
 */
export function toPyTorchName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** backprop's name for a PyTorch state-dict key: the inverse of {@link toPyTorchName} for its snake-case buffer names. */
export function fromPyTorchName(name: string): string {
  return name
    .split('.')
    .map((segment) =>
      // LSTM/GRU weights keep PyTorch's names in backprop (weight_ih_l0, bias_hh_l1_reverse).
      /^(weight|bias)_/.test(segment)
        ? segment
        : segment.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
    )
    .join('.');
}

/**
 * Encodes a state dict as safetensors bytes (float32 tensors as F32, int32 ones as I64, the dtype
 * PyTorch keeps its counters in), for a download, `fetch` body or file. Reads each tensor with
 * `data()`, so it works on every backend.
 * @example
 * const bytes = await saveSafetensors(model.stateDict(), { metadata: { epoch: '3' } });
 */
export async function saveSafetensors(
  stateDict: TensorDict,
  options: SaveSafetensorsOptions = {},
): Promise<Uint8Array> {
  if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict))
    throw new ArgumentError(
      `saveSafetensors: expected a state dict (names to tensors), got ${typeof stateDict}`,
    );
  const tensors: Record<string, TensorToWrite | IntTensorToWrite> = {};
  for (const [name, t] of Object.entries(stateDict)) {
    if (t === null || typeof t !== 'object' || typeof (t as Tensor).data !== 'function')
      throw new ArgumentError(`saveSafetensors: '${name}' is not a tensor`);
    if (t.dtype === 'bool')
      throw new ArgumentError(`saveSafetensors: '${name}' is a bool tensor; expected float32 or int32`);
    const key = options.pytorchNames ? toPyTorchName(name) : name;
    const values = await t.data();
    tensors[key] =
      t.dtype === 'int32'
        ? { shape: t.shape, data: Int32Array.from(values), dtype: 'I64' }
        : { shape: t.shape, data: Float32Array.from(values) };
  }
  return encodeSafetensors(tensors, options.metadata ?? {});
}

/**
 * Reads safetensors bytes (from backprop, PyTorch or Hugging Face) into tensors: float dtypes
 * (F32, F64, F16, BF16) become float32, integer ones int32, BOOL bool. The file is validated
 * first; a damaged one throws a `CheckpointError` saying what is wrong.
 * @example
 * const { tensors } = loadSafetensors(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 * model.loadStateDict(tensors);
 */
export function loadSafetensors(bytes: Uint8Array, options: LoadSafetensorsOptions = {}): LoadedSafetensors {
  if (!(bytes instanceof Uint8Array))
    throw new ArgumentError(
      `loadSafetensors: expected the file's bytes as a Uint8Array, got ${typeof bytes}`,
    );
  const file = decodeSafetensors(bytes);
  const tensors: Record<string, Tensor> = {};
  for (const [name, entry] of file.tensors) {
    const key = options.pytorchNames ? fromPyTorchName(name) : name;
    tensors[key] = toTensor(name, entry, options.device);
  }
  return { tensors, metadata: { ...file.metadata } };
}

function toTensor(name: string, entry: TensorEntry, device: string | undefined): Tensor {
  const shape = [...entry.shape];
  const on = device === undefined ? {} : { device };
  switch (entry.dtype) {
    case 'F32':
    case 'F64':
    case 'F16':
    case 'BF16':
      return fromArray(readFloat32(name, entry), shape, on);
    case 'BOOL':
      return fromArray(
        Uint8Array.from(entry.bytes, (b) => (b ? 1 : 0)),
        shape,
        { ...on, dtype: 'bool' },
      );
    default:
      return fromArray(readInt32(name, entry), shape, { ...on, dtype: 'int32' });
  }
}

/** Integer tensors as int32, refusing values int32 cannot hold (rather than wrapping them). */
export function readInt32(name: string, entry: TensorEntry): Int32Array {
  const { bytes, dtype } = entry;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read: Record<string, [number, (at: number) => number | bigint]> = {
    U8: [1, (at) => view.getUint8(at)],
    I8: [1, (at) => view.getInt8(at)],
    I16: [2, (at) => view.getInt16(at, true)],
    U16: [2, (at) => view.getUint16(at, true)],
    I32: [4, (at) => view.getInt32(at, true)],
    U32: [4, (at) => view.getUint32(at, true)],
    I64: [8, (at) => view.getBigInt64(at, true)],
    U64: [8, (at) => view.getBigUint64(at, true)],
  };
  const reader = read[dtype];
  if (reader === undefined)
    throw new CheckpointError(
      `tensor '${name}': dtype ${dtype} cannot be loaded (expected a float, integer or BOOL dtype)`,
    );
  const [size, get] = reader;
  const out = new Int32Array(bytes.length / size);
  for (let i = 0; i < out.length; i++) {
    const v = Number(get(i * size));
    if (v < -2147483648 || v > 2147483647)
      throw new CheckpointError(`tensor '${name}': element ${i} is ${v}, outside int32's range`);
    out[i] = v;
  }
  return out;
}
