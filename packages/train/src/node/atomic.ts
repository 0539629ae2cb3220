import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BackpropError } from '@backprop/core';

/**
 * A file or folder that cannot be written (a read-only folder, a full disk, a path through a
 * file); the message is one line naming the path and the cause.
 */
export class OutputError extends BackpropError {
  override readonly name = 'OutputError';
}

/** The file-system calls the writer makes; a test passes its own to inject a failing write. */
export type WriterFs = Pick<
  typeof nodeFs,
  | 'accessSync'
  | 'closeSync'
  | 'fsyncSync'
  | 'mkdirSync'
  | 'openSync'
  | 'readdirSync'
  | 'renameSync'
  | 'rmSync'
  | 'writeSync'
>;

/** What the common write errors mean, in words. */
const CAUSES: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  EISDIR: 'it is a folder',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error',
};

/** `ENOSPC (no space left on device)`: an error's code and what it means. */
export function describeCause(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return e instanceof Error ? e.message.split('\n')[0] : String(e);
  return CAUSES[code] ? `${code} (${CAUSES[code]})` : code;
}

/**
 * Creates `dir` (and its parents) for outputs and checks it is writable, so a bad output folder
 * fails before training rather than at the first save; an `OutputError` when it cannot.
 */
export function makeOutputFolder(dir: string, fs: WriterFs = nodeFs): void {
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new OutputError(`cannot create the folder ${dir}: ${describeCause(e)}`);
  }
  try {
    fs.accessSync(dir, nodeFs.constants.W_OK);
  } catch (e) {
    throw new OutputError(`cannot write in the folder ${dir}: ${describeCause(e)}`);
  }
}

/**
 * Replaces `path` with `bytes` so that a crash at any moment leaves either the old file or the
 * new one, never a torn mix: write a temporary file in the same folder (a rename is atomic only
 * within one file system), flush it to disk, rename it over the target, then flush the folder so
 * the rename itself survives a power loss. A failure (a full disk mid-write) removes the
 * temporary file, leaves the old file as it was and throws an `OutputError` naming the path.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string, fs: WriterFs = nodeFs): void {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  const failed = (e: unknown): OutputError => new OutputError(`cannot write ${path}: ${describeCause(e)}`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw failed(e);
  }
  // A writer killed mid-save leaves its temporary file; the next save of the same file clears it.
  for (const name of names) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) fs.rmSync(join(dir, name), { force: true });
  }
  const temp = join(dir, `${prefix}${process.pid}.${Date.now()}.tmp`);
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  let fd: number;
  try {
    fd = fs.openSync(temp, 'w', 0o644);
  } catch (e) {
    throw failed(e);
  }
  try {
    let written = 0;
    while (written < data.length) written += fs.writeSync(fd, data, written, data.length - written);
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw failed(e);
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(temp, path);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw failed(e);
  }
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = nodeFs.openSync(dir, 'r');
    nodeFs.fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or fsync a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) nodeFs.closeSync(fd);
  }
}
