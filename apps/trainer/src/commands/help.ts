import { formatOptions, type OptionSpec, wrap } from '../args.js';
import {
  EVAL_OPTIONS,
  EXPERIMENT_OPTIONS,
  INFO_OPTIONS,
  PREDICT_OPTIONS,
  RESUME_OPTIONS,
  TRAIN_OPTIONS,
} from '../config.js';
import { EXPORT_OPTIONS } from './export-options.js';

/** What `--help` says about a command. */
interface CommandHelp {
  /** One line for the command list. */
  readonly brief: string;
  readonly usage: string;
  readonly summary: string;
  readonly options: readonly OptionSpec[];
  readonly examples: readonly string[];
}

/** The commands, with their usage line, summary, options and examples. */
export const COMMANDS: Readonly<Record<string, CommandHelp>> = {
  train: {
    brief: 'train a model into a run folder (default: MNIST digits, 784-128-10 MLP)',
    usage: 'train [options]',
    summary:
      'Train an MLP (default: 784-128-10 ReLU on 8,000 real MNIST digits, checked on 2,000 held-out ones) and write a run folder with the checkpoint, per-epoch metrics and an HTML report. Ctrl-C saves a checkpoint to resume from.',
    options: TRAIN_OPTIONS,
    examples: [
      'backprop-trainer train',
      'backprop-trainer train --dataset spirals --hidden 64,64 --activation tanh --optimizer adam',
      'backprop-trainer train --dataset csv:data.csv --target label --epochs 50 --out runs/mine',
      'backprop-trainer train --config run.json --json',
    ],
  },
  eval: {
    brief: 'loss, accuracy and confusion matrix of a checkpoint',
    usage: 'eval RUN_FOLDER|CHECKPOINT [options]',
    summary:
      'Evaluate a checkpoint: loss, accuracy and confusion matrix on its held-out split or on another data set.',
    options: EVAL_OPTIONS,
    examples: [
      'backprop-trainer eval runs/mnist-20250101-120000',
      'backprop-trainer eval runs/mine --dataset csv:more.csv --json',
    ],
  },
  predict: {
    brief: 'class probabilities for inputs from a JSON or CSV file or stdin',
    usage: 'predict RUN_FOLDER|CHECKPOINT [--input FILE] [options]',
    summary:
      'Print class probabilities for inputs: a JSON array of rows (or one row, or {"inputs": [...]}) or a CSV file of feature rows, from a file or stdin.',
    options: PREDICT_OPTIONS,
    examples: [
      `echo '[[0.5, -0.2]]' | backprop-trainer predict runs/moons`,
      'backprop-trainer predict runs/iris --input flowers.csv --json',
    ],
  },
  resume: {
    brief: 'continue a run from its checkpoint',
    usage: 'resume RUN_FOLDER [options]',
    summary:
      'Continue an interrupted or finished run from its checkpoint. On the same backend the result is bit-identical to an uninterrupted run.',
    options: RESUME_OPTIONS,
    examples: [
      'backprop-trainer resume runs/mnist-20250101-120000',
      'backprop-trainer resume runs/mine --epochs 30',
    ],
  },
  info: {
    brief: 'list backends, data sets, activations, losses, optimizers, experiments',
    usage: 'info [options]',
    summary: 'List the backends, data sets, activations, losses, optimizers, schedules and experiments.',
    options: INFO_OPTIONS,
    examples: ['backprop-trainer info', 'backprop-trainer info --json'],
  },
  export: {
    brief: "write a run's model as ONNX (for ONNX Runtime) or a PyTorch-style safetensors file",
    usage: 'export RUN_FOLDER|CHECKPOINT --onnx|--safetensors [options]',
    summary:
      "Export a checkpoint's model: --onnx writes model.onnx (opset 17, evaluation mode, any batch size) for ONNX Runtime; --safetensors writes the weights alone with PyTorch's names, for load_state_dict.",
    options: EXPORT_OPTIONS,
    examples: [
      'backprop-trainer export runs/mnist-20250101-120000 --onnx',
      'backprop-trainer export runs/mine --safetensors --out mine.safetensors',
    ],
  },
  experiment: {
    brief: "the study notes' experiments: vanishing, activations, depth-width",
    usage: 'experiment vanishing|activations|depth-width [options]',
    summary:
      'Run an experiment from the study notes and write its table and plots to an HTML report: vanishing (per-layer gradient norms of a 10-layer net with sigmoid, tanh and ReLU), activations (epochs to a target loss for each activation), depth-width (deep-narrow vs shallow-wide with equal parameters).',
    options: EXPERIMENT_OPTIONS,
    examples: [
      'backprop-trainer experiment vanishing',
      'backprop-trainer experiment activations --epochs 30 --json',
    ],
  },
};

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.brief}`);
  return `backprop-trainer: train, evaluate and checkpoint neural networks with backprop

Usage: backprop-trainer COMMAND [options]

Commands:
${lines.join('\n')}

Run 'backprop-trainer COMMAND --help' for a command's options.
Exit codes: 0 done, 1 error (bad checkpoint or input, unwritable output, unavailable backend), 2 bad command line, 130 interrupted (checkpoint saved).
`;
}

/** The help of one command. */
export function helpText(command: string): string {
  const c = COMMANDS[command];
  return `Usage: backprop-trainer ${c.usage}

${wrap(c.summary, 100, 0)}

Options:
${formatOptions(c.options)}

Examples:
${c.examples.map((e) => `  ${e}`).join('\n')}
`;
}
