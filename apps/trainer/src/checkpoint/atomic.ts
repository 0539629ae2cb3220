/** The atomic writer lives in `@backprop/train/node`; the trainer's modules import it from here. */
export {
  describeCause,
  makeOutputFolder,
  OutputError,
  type WriterFs,
  writeFileAtomic,
} from '@backprop/train/node';
