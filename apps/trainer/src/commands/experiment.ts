import { join } from 'node:path';
import { nearest, parseArgs, UsageError } from '../args.js';
import { useBackend } from '../backend.js';
import { makeOutputFolder, writeFileAtomic } from '../checkpoint/atomic.js';
import { type BackendName, defaultRunFolder, EXPERIMENT_OPTIONS, userPath } from '../config.js';
import { EXPERIMENTS } from '../experiments/index.js';
import { type Io, TextTable } from '../format.js';
import { htmlTable, renderReport } from '../report/html.js';
import { helpText } from './help.js';

/** `experiment NAME`: runs one of the study notes' experiments; prints its tables and writes its report. */
export async function experimentCommand(argv: readonly string[], io: Io): Promise<number> {
  const { options, positionals } = parseArgs(argv, EXPERIMENT_OPTIONS, 'experiment');
  if (options.help) {
    io.stdout.write(helpText('experiment'));
    return 0;
  }
  const names = Object.keys(EXPERIMENTS);
  const [name, ...extra] = positionals;
  if (name === undefined)
    throw new UsageError(`experiment needs a name: one of ${names.join(', ')}`, 'experiment');
  const experiment = EXPERIMENTS[name];
  if (experiment === undefined) {
    const hint = nearest(name, names);
    throw new UsageError(
      `unknown experiment '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}: one of ${names.join(', ')}`,
      'experiment',
    );
  }
  if (extra.length > 0) throw new UsageError(`experiment: unexpected argument '${extra[0]}'`, 'experiment');
  const human = !options.json && !options.quiet;
  const out =
    typeof options.out === 'string' ? userPath(options.out) : defaultRunFolder(`experiment-${name}`);
  // Before the experiment runs, so a bad --out fails at once rather than after a minute of training.
  makeOutputFolder(out);
  await useBackend((options.backend ?? 'cpu') as BackendName);
  const started = performance.now();
  const result = await experiment.run({
    seed: typeof options.seed === 'number' ? options.seed : 0,
    epochs: typeof options.epochs === 'number' ? options.epochs : null,
    log: (line) => {
      if (human) io.stderr.write(`${line}\n`);
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const report = join(out, 'report.html');
  writeFileAtomic(
    report,
    renderReport({
      title: `backprop-trainer experiment: ${result.title}`,
      summary: [...result.setup, ['finding', result.finding], ['time', `${seconds.toFixed(1)} s`]],
      sections: [
        ...result.tables.map((t) => ({ title: t.title, html: htmlTable(t.headers, t.rows) })),
        ...result.sections,
      ],
    }),
  );
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ experiment: name, title: result.title, setup: Object.fromEntries(result.setup), tables: result.tables, finding: result.finding, report, seconds, data: result.data }, null, 2)}\n`,
    );
    return 0;
  }
  if (options.quiet) {
    io.stdout.write(`${result.finding}\n`);
    return 0;
  }
  const setupWidth = Math.max(...result.setup.map(([k]) => k.length)) + 2;
  io.stdout.write(
    [
      `\n${result.title}`,
      ...result.setup.map(([k, v]) => `  ${`${k}:`.padEnd(setupWidth)}${v}`),
      '',
      ...result.tables.flatMap((t) => [t.title, TextTable.render(t.headers, t.rows), '']),
      result.finding,
      `\nReport: ${report} (${seconds.toFixed(1)} s)`,
      '',
    ].join('\n'),
  );
  return 0;
}
