/**
 * A small command-line parser: `--name value`, `--name=value`, boolean flags and positionals,
 * checked against a table of option specs so a mistake is reported with what is allowed.
 * Hand-written rather than `node:util` `parseArgs` because the messages must name the allowed
 * values and suggest the nearest option, which `parseArgs` does not do.
 */

/** A mistake in how the trainer was called: reported without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command whose `--help` the message should point to (the top level when absent). */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/** How one option's value is read and checked. */
export interface OptionSpec {
  /** The long name without dashes, kebab-case (`batch-size`). */
  readonly name: string;
  /** `flag` takes no value; the others take one. */
  readonly kind: 'flag' | 'string' | 'int' | 'number';
  /** Text shown after the name in `--help` (`N`, `NAME`, `PATH`). */
  readonly placeholder?: string;
  readonly description: string;
  /** Allowed values, listed in messages and `--help`. */
  readonly choices?: readonly string[];
  /** For numbers: the smallest allowed value, and whether it is allowed itself. */
  readonly min?: number;
  readonly minExclusive?: boolean;
  readonly max?: number;
}

/** The parsed command line: option values by kebab-case name, then positionals. */
export interface ParsedArgs {
  readonly options: Record<string, string | number | boolean>;
  readonly positionals: string[];
}

/**
 * Parses `argv` against `specs`. Options may appear anywhere; `--` ends them. Throws a
 * `UsageError` naming the option and what it accepts.
 */
export function parseArgs(
  argv: readonly string[],
  specs: readonly OptionSpec[],
  command: string,
): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const options: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg === '-h' ? '--help' : arg;
    if (!long.startsWith('--')) {
      throw new UsageError(`unknown option '${arg}': options are long, like --epochs 5`, command);
    }
    const eq = long.indexOf('=');
    const name = long.slice(2, eq === -1 ? undefined : eq);
    const spec = byName.get(name);
    if (spec === undefined) throw new UsageError(unknownOption(name, specs, command), command);
    // The last of two values silently winning hides a mistake (a pasted line, a forgotten default).
    if (Object.hasOwn(options, name)) {
      throw new UsageError(`--${name} is given twice: give each option once`, command);
    }
    if (spec.kind === 'flag') {
      if (eq !== -1) throw new UsageError(`--${name} is a flag and takes no value (got '${arg}')`, command);
      options[name] = true;
      continue;
    }
    let raw: string;
    if (eq !== -1) raw = long.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new UsageError(`--${name} needs a value: ${describeValue(spec)}`, command);
      }
      raw = next;
      i++;
    }
    options[name] = checkValue(spec, raw, command);
  }
  return { options, positionals };
}

/**
 * Checks one raw value (from the command line or a config file) against its spec and converts
 * numbers; throws a `UsageError` saying what is allowed.
 */
export function checkValue(spec: OptionSpec, raw: string, command: string): string | number {
  if (spec.kind === 'string') {
    if (spec.choices !== undefined && !spec.choices.includes(raw)) {
      const hint = nearest(raw, spec.choices);
      throw new UsageError(
        `--${spec.name} '${raw}' is not one of: ${spec.choices.join(', ')}${hint ? ` (did you mean '${hint}'?)` : ''}`,
        command,
      );
    }
    return raw;
  }
  const bad = (): never => {
    throw new UsageError(`--${spec.name} must be ${describeValue(spec)}, got '${raw}'`, command);
  };
  // Decimal notation only: Number() also reads '0x10', '0b1', '' and ' 1 ', which are typos here.
  if (!(spec.kind === 'int' ? INTEGER : DECIMAL).test(raw)) bad();
  const value = Number(raw);
  if (!Number.isFinite(value)) bad();
  if (spec.kind === 'int' && !Number.isSafeInteger(value)) bad();
  if (spec.min !== undefined && (value < spec.min || (spec.minExclusive === true && value === spec.min)))
    bad();
  if (spec.max !== undefined && value > spec.max) bad();
  return value;
}

/** An integer in decimal digits, and a decimal number (`0.5`, `.5`, `1e-3`). */
const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Says in words what an option accepts: `an integer >= 1`, `one of: sgd, adam`. */
export function describeValue(spec: OptionSpec): string {
  if (spec.kind === 'flag') return 'no value';
  if (spec.kind === 'string') return spec.choices ? `one of: ${spec.choices.join(', ')}` : 'a value';
  const what = spec.kind === 'int' ? 'an integer' : 'a number';
  const bounds: string[] = [];
  if (spec.min !== undefined) bounds.push(`${spec.minExclusive ? '>' : '>='} ${spec.min}`);
  if (spec.max !== undefined) bounds.push(`<= ${spec.max}`);
  return bounds.length ? `${what} ${bounds.join(' and ')}` : what;
}

/** Formats the option table of a command's `--help`, descriptions wrapped to fit `width` columns. */
export function formatOptions(specs: readonly OptionSpec[], width = 100): string {
  const rows = specs.map((s) => {
    const left = `  --${s.name}${s.kind === 'flag' ? '' : ` ${s.placeholder ?? 'VALUE'}`}`;
    const choices = s.choices ? ` [${s.choices.join(', ')}]` : '';
    return [left, `${s.description}${choices}`] as const;
  });
  const indent = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows
    .map(([left, right]) => left.padEnd(indent) + wrap(right, Math.max(30, width - indent), indent))
    .join('\n');
}

/** Breaks `text` into lines of at most `width` characters, continuation lines indented by `indent`. */
export function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

function unknownOption(name: string, specs: readonly OptionSpec[], command: string): string {
  const names = specs.map((s) => s.name);
  const hint = nearest(name, names);
  return (
    `unknown option --${name} for '${command}'${hint ? ` (did you mean --${hint}?)` : ''}. ` +
    `Allowed: ${names.map((n) => `--${n}`).join(', ')}`
  );
}

/** The candidate closest to `word` by edit distance, when it is close enough to be a likely typo. */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
  const prefixed = candidates.filter((c) => c.toLowerCase().startsWith(word.toLowerCase()));
  if (word.length >= 3 && prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

/** Edit distance counting a swap of neighbours as one edit (optimal string alignment): `trian` is 1 from `train`. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
