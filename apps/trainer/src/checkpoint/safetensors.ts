/** The safetensors reader and writer live in `@backprop/train`; the trainer's modules import them from here. */
export {
  CheckpointError,
  decodeSafetensors,
  duplicateKey,
  encodeSafetensors,
  type IntTensorToWrite,
  parseJsonObject,
  readFloat32,
  type SafetensorsDType,
  type SafetensorsFile,
  type TensorEntry,
  type TensorToWrite,
} from '@backprop/train';
