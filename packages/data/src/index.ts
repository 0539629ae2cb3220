/**
 * @backprop/data: datasets and data loaders, transforms, synthetic and real data sets (MNIST, iris),
 * a CSV loader and classification metrics. Depends on @backprop/core only; pick a backend in your app.
 */
export {
  type ArrayData,
  type ClassificationData,
  classCounts,
  classificationData,
  type RegressionData,
  regressionData,
  subset,
  type ToTensorOptions,
  type TrainTestSplitOptions,
  toArrayDataset,
  toTensorDataset,
  toTensors,
  trainTestSplit,
} from './arrays.js';
export { type Collated, type CollateOptions, defaultCollate } from './collate.js';
export {
  type CsvData,
  type CsvInfo,
  type CsvOptions,
  type CsvRecord,
  loadCsv,
  parseCsv,
  parseCsvRecords,
} from './csv.js';
export {
  type ArrayColumn,
  ArrayDataset,
  type BatchedDataset,
  type BatchOptions,
  type Dataset,
  isBatched,
  mapDataset,
  randomSplit,
  Subset,
  TensorDataset,
} from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './loader.js';
export {
  type Average,
  type AverageOptions,
  accuracy,
  accuracyAsync,
  type ClassificationReport,
  classificationReport,
  confusionMatrix,
  f1Score,
  type Predictions,
  precision,
  predictedClasses,
  predictedClassesAsync,
  recall,
  type Targets,
  topKAccuracy,
} from './metrics.js';
export { MissingPackageError } from './node.js';
export { permutation, resolveGenerator, type SeedOptions, shuffleInPlace } from './random.js';
export {
  IRIS_FEATURES,
  type IrisOptions,
  loadIris,
  loadMnist,
  loadMnistAll,
  MNIST_DIGIT_COUNTS,
  MNIST_PIXELS,
  type MnistOptions,
} from './real.js';
export {
  type BlobsOptions,
  blobs,
  type CirclesOptions,
  circles,
  moons,
  type SineOptions,
  type SpiralOptions,
  type SyntheticOptions,
  sine,
  spirals,
  xor,
} from './synthetic.js';
export { normalize, oneHot, type PerFeature, Standardizer, standardize } from './transforms.js';
