/** Progress output lives in `@backprop/train`; the trainer's modules import what they use from here. */
export { formatDuration, type ProgressStream } from '@backprop/train';
