import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import type { Io } from '../src/format.js';
import { main } from '../src/main.js';

/** The app's folder: spawned CLIs run from here so `tsx` and the workspace packages resolve. */
export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** A fresh temporary folder, inside the run's folder that `temp-root.ts` removes at the end. */
export function tempDir(): string {
  return mkdtempSync(join(inject('trainerTestRoot'), 'case-'));
}

/** An `Io` that records what a command prints. */
export function captureIo(): Io & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    out: () => out,
    err: () => err,
  };
}

/** What a spawned CLI did. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the trainer's `main` in this process: its exit code and what it printed. */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = captureIo();
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

/**
 * Runs the CLI from its TypeScript source in a child process, as `pnpm trainer` does. `onStdout`
 * sees output as it arrives (to send a signal at the right moment).
 */
export function runCli(
  args: readonly string[],
  options: { input?: string; onStdout?: (text: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: APP_DIR,
      env: { ...process.env, NO_COLOR: '1', INIT_CWD: APP_DIR },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      options.onStdout?.(stdout, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
