/**
 * What the trainer's two checkpoint kinds (classification runs and words language models) share:
 * the file's checksum, the atomic write of tensors with their JSON metadata, and reading the
 * bytes with one-line errors that name the file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './atomic.js';
import {
  CheckpointError,
  encodeSafetensors,
  type IntTensorToWrite,
  type TensorToWrite,
} from './safetensors.js';

/** The checkpoint's file name inside a run folder. */
export const CHECKPOINT_FILE = 'checkpoint.safetensors';

/**
 * The `__metadata__` key of the checkpoint's checksum: SHA-256 (hex) of the `checkpoint` JSON's
 * UTF-8 bytes followed by the tensor data, so a flipped bit in either is caught.
 */
export const CHECKSUM_KEY = 'sha256';

/** SHA-256 (hex) of the metadata JSON's UTF-8 bytes followed by the tensor data. */
export function checksum(json: string, data: Uint8Array): string {
  return createHash('sha256').update(json, 'utf8').update(data).digest('hex');
}

/**
 * Writes `tensors` with `json` as the `checkpoint` metadata, `kind` set to `version` (what marks
 * the checkpoint's kind and format) and the checksum, atomically: a crash while saving leaves
 * the previous file intact.
 */
export function writeCheckpointFile(
  path: string,
  tensors: Readonly<Record<string, TensorToWrite | IntTensorToWrite>>,
  kind: string,
  version: string,
  json: string,
): void {
  const bytes = encodeSafetensors(tensors, { [kind]: version, checkpoint: json }, (data) => ({
    [CHECKSUM_KEY]: checksum(json, data),
  }));
  writeFileAtomic(path, bytes);
}

/** A `CheckpointError` naming the file, on one line whatever the cause quotes (a damaged name). */
export function checkpointProblem(path: string): (why: string) => CheckpointError {
  return (why) => new CheckpointError(`checkpoint ${path}: ${why.replace(/[\r\n]+/g, ' ')}`);
}

/** The file's bytes, or a `CheckpointError` saying it is missing or unreadable. */
export function readCheckpointBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw checkpointProblem(path)(
        `no such file (give a run folder holding ${CHECKPOINT_FILE}, or the file)`,
      );
    throw checkpointProblem(path)(`cannot read it: ${code ?? (e as Error).message}`);
  }
}
