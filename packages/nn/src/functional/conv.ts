/** Convolution and pooling as functions: core's ops, re-exported so `F.conv2d` reads as in PyTorch. */
export {
  adaptiveAvgPool2d,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose2d,
  maxPool2d,
  maxPool2dWithIndices,
} from '@backprop/core';
