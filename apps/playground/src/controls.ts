import {
  ACTIVATIONS,
  BACKENDS,
  DATASETS,
  LOSSES,
  OPTIMIZERS,
  type PlaygroundConfig,
  SCHEDULES,
} from './config.js';

type Field =
  | { key: keyof PlaygroundConfig; label: string; options: readonly string[] }
  | { key: keyof PlaygroundConfig; label: string; min: number; max: number; step: number }
  | { key: 'hidden'; label: string; text: true };

const SECTIONS: readonly [string, readonly Field[]][] = [
  [
    'Data',
    [
      { key: 'dataset', label: 'data set', options: DATASETS },
      { key: 'samples', label: 'samples', min: 20, max: 2000, step: 10 },
      { key: 'noise', label: 'noise', min: 0, max: 2, step: 0.05 },
      { key: 'testSplit', label: 'test share', min: 0.05, max: 0.9, step: 0.05 },
    ],
  ],
  [
    'Network',
    [
      { key: 'hidden', label: 'hidden widths', text: true },
      { key: 'activation', label: 'activation', options: ACTIVATIONS },
      { key: 'loss', label: 'loss', options: LOSSES },
    ],
  ],
  [
    'Training',
    [
      { key: 'optimizer', label: 'optimizer', options: OPTIMIZERS },
      { key: 'lr', label: 'learning rate', min: 0.00001, max: 10, step: 0.001 },
      { key: 'schedule', label: 'schedule', options: SCHEDULES },
      { key: 'batchSize', label: 'batch size', min: 1, max: 4096, step: 1 },
      { key: 'l2', label: 'L2', min: 0, max: 1, step: 0.0001 },
      { key: 'seed', label: 'seed', min: 0, max: 2 ** 31, step: 1 },
      { key: 'stepsPerFrame', label: 'steps / frame', min: 1, max: 200, step: 1 },
    ],
  ],
  ['Backend', [{ key: 'backend', label: 'backend', options: BACKENDS }]],
];

/** Keys a change of which can apply to a running model (all others start a new one). */
export const LIVE_KEYS: ReadonlySet<keyof PlaygroundConfig> = new Set([
  'backend',
  'stepsPerFrame',
  'autoplay',
]);

/** Fills the form with one input per configuration field, showing `config`. */
export function buildControls(form: HTMLFormElement, config: PlaygroundConfig): void {
  form.replaceChildren();
  for (const [title, fields] of SECTIONS) {
    const h = document.createElement('h2');
    h.textContent = title;
    form.append(h);
    for (const field of fields) {
      const label = document.createElement('label');
      label.textContent = field.label;
      label.htmlFor = `cfg-${field.key}`;
      let input: HTMLInputElement | HTMLSelectElement;
      if ('options' in field) {
        input = document.createElement('select');
        for (const o of field.options) input.append(new Option(o, o));
      } else {
        input = document.createElement('input');
        if ('text' in field) {
          input.type = 'text';
          input.placeholder = 'e.g. 16-16';
        } else {
          input.type = 'number';
          input.min = String(field.min);
          input.max = String(field.max);
          input.step = String(field.step);
        }
      }
      input.id = `cfg-${field.key}`;
      input.name = field.key;
      form.append(label, input);
    }
  }
  const share = document.createElement('a');
  share.className = 'share';
  share.id = 'share';
  form.append(share);
  showConfig(form, config);
}

/** Puts `config`'s values into the form's inputs and the share link. */
export function showConfig(form: HTMLFormElement, config: PlaygroundConfig): void {
  for (const [, fields] of SECTIONS) {
    for (const { key } of fields) {
      const input = form.elements.namedItem(key) as HTMLInputElement | HTMLSelectElement;
      const value = config[key];
      input.value = Array.isArray(value) ? value.join('-') : String(value);
    }
  }
}

/** The form's values as a query string, ready for `parseConfig` (which validates them). */
export function formQuery(form: HTMLFormElement): string {
  const q = new URLSearchParams();
  new FormData(form).forEach((value, key) => {
    q.set(key, String(value));
  });
  return `?${q.toString()}`;
}
