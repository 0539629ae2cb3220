/** The progress bar lives in `@backprop/train`; the trainer's modules import it from here. */
export { formatDuration, Progress, type ProgressStream } from '@backprop/train';
