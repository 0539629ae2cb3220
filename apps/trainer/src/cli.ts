#!/usr/bin/env node
/** backprop-trainer: the command-line entry (see `main` for the commands and exit codes). */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
