import type { Io } from './format.js';

/** Exit code of a run stopped by Ctrl-C (128 + SIGINT), after it saved its checkpoint. */
export const EXIT_INTERRUPTED = 130;

/**
 * Ctrl-C during training: the first one aborts the returned signal, so `fit` stops after the
 * current batch and the run saves its checkpoint; a second one quits at once without saving.
 * `release` removes the handler once training is over.
 */
export function interruptOnSigint(io: Io): { readonly signal: AbortSignal; readonly release: () => void } {
  const abort = new AbortController();
  const onSigint = (): void => {
    if (abort.signal.aborted) process.exit(EXIT_INTERRUPTED);
    abort.abort();
    io.stderr.write('\nStopping after this batch to save a checkpoint (Ctrl-C again quits without saving)\n');
  };
  process.on('SIGINT', onSigint);
  return { signal: abort.signal, release: () => process.off('SIGINT', onSigint) };
}
