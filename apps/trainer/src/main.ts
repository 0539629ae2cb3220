/**
 * The trainer's dispatch: runs a command and turns the errors people
 * cause into messages and exit codes: 2 for a bad command line (with what is allowed), 1 for a
 * bad checkpoint, input file, unwritable output or unavailable backend, without a stack trace.
 */
import { BackpropError } from '@backprop/core';
import { nearest, UsageError } from './args.js';
import { BackendUnavailableError } from './backend.js';
import { OutputError } from './checkpoint/atomic.js';
import { CheckpointError } from './checkpoint/safetensors.js';
import { evalCommand } from './commands/eval.js';
import { experimentCommand } from './commands/experiment.js';
import { exportCommand } from './commands/export.js';
import { COMMANDS, mainHelp } from './commands/help.js';
import { infoCommand } from './commands/info.js';
import { InputError, predictCommand } from './commands/predict.js';
import { resumeCommand } from './commands/resume.js';
import { sampleCommand } from './commands/sample.js';
import { trainCommand } from './commands/train.js';
import { type Io, processIo } from './format.js';

const HANDLERS: Record<string, (argv: readonly string[], io: Io) => Promise<number>> = {
  train: trainCommand,
  eval: evalCommand,
  predict: predictCommand,
  resume: resumeCommand,
  info: infoCommand,
  experiment: experimentCommand,
  export: exportCommand,
  sample: sampleCommand,
};

/** Runs the trainer with `argv` (without `node` and the script); returns the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(mainHelp());
    return command === undefined ? 2 : 0;
  }
  try {
    const handler = HANDLERS[command];
    if (handler === undefined) {
      const hint = nearest(command, Object.keys(COMMANDS));
      throw new UsageError(
        `unknown command '${command}'${hint ? ` (did you mean '${hint}'?)` : ''}. Commands: ${Object.keys(COMMANDS).join(', ')}`,
      );
    }
    return await handler(rest, io);
  } catch (e) {
    // One line and no stack trace for every error a person can cause; anything else is a bug.
    if (e instanceof UsageError) {
      const help = e.command ? `backprop-trainer ${e.command} --help` : 'backprop-trainer --help';
      io.stderr.write(`error: ${oneLine(e.message)}\nRun '${help}' to see what is allowed.\n`);
      return 2;
    }
    if (
      e instanceof CheckpointError ||
      e instanceof OutputError ||
      e instanceof BackendUnavailableError ||
      e instanceof InputError ||
      e instanceof BackpropError
    ) {
      io.stderr.write(`error: ${oneLine(e.message)}\n`);
      return 1;
    }
    throw e;
  }
}

/** A message on one line, whatever a value quoted in it holds (a file name, an argument). */
function oneLine(message: string): string {
  return message.replace(/\s*[\r\n]+\s*/g, ' ');
}
