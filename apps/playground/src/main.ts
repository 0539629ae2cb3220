import { describeBackend } from './backends.js';
import { type BackendChoice, type PlaygroundConfig, parseConfig, serializeConfig } from './config.js';
import { buildControls, formQuery, LIVE_KEYS, showConfig } from './controls.js';
import { loadData, type PlaygroundData } from './data.js';
import { drawGraph, toDot } from './graph.js';
import { type Evaluation, Session } from './session.js';
import { drawBoundary, GRID, gridPoints } from './views/boundary.js';
import { drawChart } from './views/chart.js';
import { drawConfusion, drawMisclassified } from './views/digits.js';
import { drawHeatmaps } from './views/heatmaps.js';

const $ = <T extends Element>(id: string) => document.getElementById(id) as unknown as T;

/** Evaluations of a few thousand digits cost more than a slice of steps: run one every this many slices. */
const MNIST_EVAL_EVERY = 10;
const LAYER_COLORS = ['#1b6ac9', '#2a9d5c', '#d1791f', '#b83280', '#6b4fbf', '#c0392b', '#16a0a8', '#7f8c8d'];

/** What the page exposes to tests and scripts as `window.__playground`. */
export interface PlaygroundHandle {
  /** Optimizer steps taken. */
  step: number;
  /** The last minibatch's training loss. */
  loss: number;
  /** Training accuracy at the last evaluation, in [0, 1]. */
  accuracy: number;
  testAccuracy: number;
  testLoss: number;
  /** The backend the weights live on, and gpu.js's resolved mode (`cpu` for the CPU backend). */
  backend: string;
  mode: string;
  backendDetail: string;
  crossOriginIsolated: boolean;
  playing: boolean;
  /** The latest gradient norm of each linear layer's weights, input to output. */
  gradNorms: number[];
  config: PlaygroundConfig;
  /** Set when something failed (the page shows it too). */
  error: string | null;
  /** True once the first model is built and drawn. */
  ready: boolean;
  play(): void;
  pause(): void;
  /** Runs `count` steps (paused or not) and redraws. */
  train(count: number): Promise<void>;
  reset(): Promise<void>;
  /** Moves the model to another backend, keeping its weights and optimizer state. */
  setBackend(name: BackendChoice): Promise<void>;
  /** Sum of |w| over all parameters (to compare weights across a backend move). */
  weightChecksum(): Promise<number>;
}

let config = parseConfig(location.search);
let data: PlaygroundData;
let session: Session | null = null;
let slices = 0;
let lossPoints: [number, number][] = [];
let evaluations: Evaluation[] = [];
let gradHistory: { step: number; norms: number[] }[] = [];
/** Serialises everything that touches the model: a frame's slice, a step, a move, a reset. */
let queue: Promise<unknown> = Promise.resolve();

const form = $<HTMLFormElement>('controls');
const playButton = $<HTMLButtonElement>('play');

const handle: PlaygroundHandle = {
  step: 0,
  loss: Number.NaN,
  accuracy: 0,
  testAccuracy: 0,
  testLoss: Number.NaN,
  backend: '',
  mode: '',
  backendDetail: '',
  crossOriginIsolated: globalThis.crossOriginIsolated === true,
  playing: false,
  gradNorms: [],
  config,
  error: null,
  ready: false,
  play: () => setPlaying(true),
  pause: () => setPlaying(false),
  train: (count) => exclusive(() => trainSlice(count, true)),
  reset: () => exclusive(() => rebuild(config)),
  setBackend: (name) => exclusive(() => switchBackend(name)),
  weightChecksum: () => exclusive(() => (session as Session).weightChecksum()),
};
(window as unknown as { __playground: PlaygroundHandle }).__playground = handle;

function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task);
  queue = run.catch(fail);
  return run;
}

function fail(e: unknown): void {
  handle.error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  setPlaying(false);
  $<HTMLElement>('status').textContent = handle.error;
  $<HTMLElement>('status').classList.add('error');
  console.error(e);
}

function setPlaying(on: boolean): void {
  handle.playing = on;
  playButton.textContent = on ? '❚❚ Pause' : '▶ Play';
}

function writeUrl(): void {
  history.replaceState(
    null,
    '',
    `${location.pathname}${serializeConfig({ ...config, autoplay: handle.playing })}`,
  );
  const share = $<HTMLAnchorElement>('share');
  share.href = location.href;
  share.textContent = 'link to this configuration';
}

async function rebuild(next: PlaygroundConfig): Promise<void> {
  session?.dispose();
  session = null;
  config = next;
  handle.config = config;
  data = await loadData(config);
  session = await Session.create(config, data);
  slices = 0;
  lossPoints = [];
  evaluations = [];
  gradHistory = [];
  Object.assign(handle, { step: 0, loss: Number.NaN, accuracy: 0, testAccuracy: 0, gradNorms: [] });
  const mnist = data.imageSide > 0;
  $<HTMLElement>('boundary').hidden = mnist;
  $<HTMLElement>('digits').hidden = !mnist;
  $<HTMLElement>('view-hidden').hidden = mnist;
  $<HTMLElement>('view-data').querySelector('figcaption')!.textContent = mnist
    ? `MNIST: ${data.train.numSamples} training and ${data.test.numSamples} test digits`
    : 'Decision boundary (filled: train, ringed: test)';
  const graph = session.autogradGraph();
  drawGraph($<SVGSVGElement>('graph'), graph);
  $<HTMLTextAreaElement>('dot').value = toDot(graph);
  await refresh();
  writeUrl();
}

async function switchBackend(name: BackendChoice): Promise<void> {
  if (!session) return;
  await session.moveTo(name);
  config = { ...config, backend: name };
  handle.config = config;
  writeUrl();
  await refresh();
}

async function trainSlice(count: number, evaluate: boolean): Promise<void> {
  if (!session) return;
  const losses = session.run(count);
  const values = await losses.data();
  losses.dispose();
  const first = session.step - values.length + 1;
  values.forEach((v, i) => {
    lossPoints.push([first + i, v]);
  });
  // Keep the loss curve's point count bounded: halve its resolution when it grows long.
  if (lossPoints.length > 4000) lossPoints = lossPoints.filter((_, i) => i % 2 === 0);
  handle.loss = values[values.length - 1];
  handle.step = session.step;
  slices++;
  if (evaluate || data.imageSide === 0 || slices % MNIST_EVAL_EVERY === 0) await refresh();
  else showStatus();
}

/** Evaluates the model and redraws every view. */
async function refresh(): Promise<void> {
  if (!session) return;
  const evaluation = await session.evaluate();
  evaluations.push(evaluation);
  if (evaluations.length > 2000) evaluations = evaluations.filter((_, i) => i % 2 === 0);
  const norms = await session.gradientNorms();
  if (norms.length > 0) gradHistory.push({ step: session.step, norms });
  if (gradHistory.length > 2000) gradHistory = gradHistory.filter((_, i) => i % 2 === 0);
  Object.assign(handle, {
    step: session.step,
    accuracy: evaluation.trainAccuracy,
    testAccuracy: evaluation.testAccuracy,
    testLoss: evaluation.testLoss,
    gradNorms: norms,
  });
  if (data.extent) {
    const probe = await session.probe(gridPoints(data.extent));
    drawBoundary(
      $('boundary'),
      data.extent,
      probe.probabilities,
      data.train.numClasses,
      data.train,
      data.test,
    );
    drawHeatmaps($('heatmaps'), probe.hidden, GRID);
  } else {
    drawConfusion($('confusion'), data.test, evaluation.testPredicted);
    drawMisclassified($('misclassified'), data.test, evaluation.testPredicted);
  }
  drawCharts();
  showStatus();
  handle.ready = true;
}

function drawCharts(): void {
  drawChart(
    $('loss'),
    [
      { label: 'train (batch)', color: '#9ab', points: lossPoints },
      { label: 'train', color: '#1b6ac9', points: evaluations.map((e) => [e.step, e.trainLoss]) },
      { label: 'test', color: '#d1791f', points: evaluations.map((e) => [e.step, e.testLoss]) },
    ],
    { title: 'loss', xLabel: 'steps' },
  );
  drawChart(
    $('accuracy'),
    [
      { label: 'train', color: '#1b6ac9', points: evaluations.map((e) => [e.step, e.trainAccuracy]) },
      { label: 'test', color: '#d1791f', points: evaluations.map((e) => [e.step, e.testAccuracy]) },
    ],
    { title: 'accuracy', xLabel: 'steps' },
  );
  const layers = gradHistory.at(-1)?.norms.length ?? 0;
  const series = Array.from({ length: layers }, (_, l) => ({
    label: `layer ${l + 1}`,
    color: LAYER_COLORS[l % LAYER_COLORS.length],
    points: gradHistory.map((g): [number, number] => [g.step, g.norms[l]]),
  }));
  drawChart($('gradients'), series, { log: true, xLabel: 'steps' });
  $<HTMLElement>('gradient-legend').textContent = (gradHistory.at(-1)?.norms ?? [])
    .map((n, l) => `layer ${l + 1}: ${n.toExponential(2)}`)
    .join('   ');
}

function showStatus(): void {
  if (!session) return;
  const running = describeBackend(session.backend);
  Object.assign(handle, { backend: running.name, mode: running.mode, backendDetail: running.detail });
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  $<HTMLElement>('status').classList.remove('error');
  $<HTMLElement>('status').textContent =
    `step ${handle.step}  loss ${handle.loss.toFixed(4)}  train ${pct(handle.accuracy)}  test ${pct(handle.testAccuracy)}\n` +
    `backend ${running.name}: ${running.detail}${handle.crossOriginIsolated ? '' : ' · page not cross-origin isolated'}`;
}

/** One slice of steps per animation frame while playing; a slice never overlaps another task. */
function frame(): void {
  if (handle.playing && session) {
    exclusive(() => trainSlice(config.stepsPerFrame, false)).finally(() => requestAnimationFrame(frame));
  } else {
    requestAnimationFrame(frame);
  }
}

playButton.addEventListener('click', () => {
  setPlaying(!handle.playing);
  writeUrl();
});
$('step').addEventListener('click', () => {
  setPlaying(false);
  void handle.train(1);
});
$('reset').addEventListener('click', () => {
  setPlaying(false);
  void handle.reset();
});
$('save').addEventListener('click', () => {
  void exclusive(async () => {
    const bytes = await (session as Session).saveWeights(serializeConfig(config));
    const link = document.createElement('a');
    link.href = URL.createObjectURL(
      new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }),
    );
    link.download = `playground-${config.dataset}-step${handle.step}.safetensors`;
    link.click();
    URL.revokeObjectURL(link.href);
  });
});
$<HTMLInputElement>('load').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  void exclusive(async () => {
    (session as Session).loadWeights(new Uint8Array(await file.arrayBuffer()));
    await refresh();
  });
});
form.addEventListener('change', () => {
  const next = parseConfig(formQuery(form));
  const changed = (Object.keys(next) as (keyof PlaygroundConfig)[]).filter(
    (k) => JSON.stringify(next[k]) !== JSON.stringify(config[k]),
  );
  showConfig(form, next);
  if (changed.length === 0) return;
  if (changed.every((k) => LIVE_KEYS.has(k))) {
    config = { ...next, backend: config.backend };
    if (changed.includes('backend')) void handle.setBackend(next.backend);
    else writeUrl();
  } else {
    const playing = handle.playing;
    setPlaying(false);
    void exclusive(() => rebuild(next)).then(() => setPlaying(playing));
  }
});

buildControls(form, config);
exclusive(() => rebuild(config)).then(() => {
  if (config.autoplay) setPlaying(true);
});
requestAnimationFrame(frame);
