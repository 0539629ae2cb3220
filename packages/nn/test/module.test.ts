import { cpuBackend } from '@backprop/backend-cpu';
import {
  ArgumentError,
  composite,
  gradcheck,
  initBackend,
  manualSeed,
  memory,
  registerBackend,
  ShapeError,
  setBackend,
  type Tensor,
  tensor,
  tidy,
  zeros,
} from '@backprop/core';
import { ENGINE } from '@backprop/core/backend';
import { describe, expect, it } from 'vitest';
import { minimalBackend } from '../../conformance/test/minimal-backend.js';
import './setup.js';
import {
  BatchNorm1d,
  Dropout,
  isParameter,
  Linear,
  Module,
  ModuleList,
  mlp,
  type Parameter,
  parameter,
  ReLU,
  Sequential,
} from '../src/index.js';

class Block extends Module {
  fc = new Linear(3, 4);
  norm = new BatchNorm1d(4);
  act = new ReLU();
  forward(x: Tensor): Tensor {
    return this.act.call(this.norm.call(this.fc.call(x)));
  }
}

class Net extends Module {
  scale: Parameter;
  layers: Block[];
  head: Linear;
  constructor() {
    super();
    this.scale = parameter(tensor([2]));
    this.layers = [new Block(), new Block()];
    this.layers[1].fc = new Linear(4, 4);
    this.head = new Linear(4, 2, { bias: false });
  }
  forward(x: Tensor): Tensor {
    let y = x;
    for (const b of this.layers) y = b.call(y);
    return this.head.call(y).mul(this.scale);
  }
}

describe('Module: discovery and names', () => {
  it('finds parameters, buffers and children recursively with stable dotted names', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n, p]) => `${n} [${p.shape}]`)).toEqual([
      'scale [1]',
      'layers.0.fc.weight [4,3]',
      'layers.0.fc.bias [4]',
      'layers.0.norm.weight [4]',
      'layers.0.norm.bias [4]',
      'layers.1.fc.weight [4,4]',
      'layers.1.fc.bias [4]',
      'layers.1.norm.weight [4]',
      'layers.1.norm.bias [4]',
      'head.weight [2,4]',
    ]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual([
      'layers.0.norm.runningMean',
      'layers.0.norm.runningVar',
      'layers.0.norm.numBatchesTracked',
      'layers.1.norm.runningMean',
      'layers.1.norm.runningVar',
      'layers.1.norm.numBatchesTracked',
    ]);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['layers.0', 'layers.1', 'head']);
    expect(net.namedModules().map(([n, m]) => `${n}:${m.typeName}`)).toEqual([
      ':Net',
      'layers.0:Block',
      'layers.0.fc:Linear',
      'layers.0.norm:BatchNorm1d',
      'layers.0.act:ReLU',
      'layers.1:Block',
      'layers.1.fc:Linear',
      'layers.1.norm:BatchNorm1d',
      'layers.1.act:ReLU',
      'head:Linear',
    ]);
    expect(net.parameters().every(isParameter)).toBe(true);
    expect(net.parameters(false)).toEqual([net.scale]);
    expect(net.parameterCount()).toBe(1 + 16 + 8 + 20 + 8 + 8);
    const y = net.call(
      tensor([
        [1, 2, 3],
        [0, -1, 2],
      ]),
    );
    expect(y.shape).toEqual([2, 2]);
    net.dispose();
  });

  it('a shared parameter or module is listed once; reassigning a property is seen', () => {
    const shared = new Linear(2, 2);
    const seq = new Sequential(shared, new ReLU(), shared);
    expect(seq.parameters()).toHaveLength(2);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias']);
    expect(seq.modules()).toHaveLength(3);
    expect(seq.length).toBe(3);
    const y = seq.call(tensor([[1, -1]]));
    expect(y.shape).toEqual([1, 2]);
    const replacement = new Linear(2, 2, { bias: false });
    seq.registerModule('2', replacement);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '2.weight']);
    seq.dispose();
    replacement.dispose();
  });

  it('registerParameter / registerBuffer / registerModule validate their arguments', () => {
    class M extends Module {
      forward(x: Tensor) {
        return x;
      }
    }
    const m = new M();
    expect(() => m.registerParameter('w', tensor([1]) as Parameter)).toThrow(
      /must be made with parameter\(\)/,
    );
    expect(() => m.registerParameter('a.b', null)).toThrow(/without '\.'/);
    expect(() => m.registerModule('x', {} as Module)).toThrow(ArgumentError);
    m.registerParameter('w', parameter(tensor([1, 2])));
    m.registerBuffer('count', tensor([5], { dtype: 'int32' }));
    expect(Object.keys(m.stateDict())).toEqual(['w', 'count']);
    expect(m.parameters()).toHaveLength(1);
    expect(() => parameter(tensor([1], { dtype: 'int32' }))).toThrow(/float32/);
    m.dispose();
  });

  it('parameter() detaches non-leaves and survives tidy', () => {
    const p = tidy(() => {
      const a = tensor([1, 2], { requiresGrad: true });
      parameter(a.mul(2));
      return parameter(a.mul(3));
    });
    expect(p.isLeaf).toBe(true);
    expect(p.requiresGrad).toBe(true);
    const built = tidy(() => {
      new Linear(2, 2); // made and dropped inside tidy: its parameters are kept (like PyTorch's)
      return 0;
    });
    expect(built).toBe(0);
    const kept = { m: null as Linear | null };
    tidy(() => {
      kept.m = new Linear(2, 3);
    });
    expect(kept.m!.weight.isDisposed).toBe(false);
    kept.m!.dispose();
    p.dispose();
  });

  it('train() / eval() reach every descendant', () => {
    const net = mlp({ sizes: [2, 3, 2], dropout: 0.5, norm: 'batch' });
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.dispose();
  });

  it('zeroGrad disposes and nulls gradients', () => {
    const lin = new Linear(3, 2);
    const before = memory().numTensors;
    tidy(() =>
      lin
        .call(tensor([[1, 2, 3]]))
        .sum()
        .backward(),
    );
    expect(lin.weight.grad).not.toBeNull();
    expect(memory().numTensors).toBe(before + 2);
    const grad = lin.weight.grad!;
    lin.zeroGrad();
    expect(lin.weight.grad).toBeNull();
    expect(lin.bias!.grad).toBeNull();
    expect(grad.isDisposed).toBe(true);
    expect(memory().numTensors).toBe(before);
    lin.dispose();
  });

  it('apply visits children before parents; forward hooks run on call', () => {
    const net = mlp({ sizes: [2, 3, 1] });
    const seen: string[] = [];
    net.apply((m) => seen.push(m.typeName));
    expect(seen).toEqual(['Linear', 'ReLU', 'Linear', 'Sequential']);
    const shapes: number[][] = [];
    const remove = net
      .at(0)
      .registerForwardHook((_m, _inputs, out) => shapes.push([...(out as Tensor).shape]));
    tidy(() =>
      net.call(
        tensor([
          [1, 2],
          [3, 4],
        ]),
      ),
    );
    remove();
    tidy(() => net.call(tensor([[1, 2]])));
    expect(shapes).toEqual([[2, 3]]);
    net.dispose();
  });

  it('ModuleList registers its entries but has no forward', () => {
    const list = new ModuleList([new Linear(1, 1), new Linear(1, 1)]);
    expect(list.namedParameters().map(([n]) => n)).toEqual(['0.weight', '0.bias', '1.weight', '1.bias']);
    expect([...list]).toHaveLength(2);
    expect(() => list.forward()).toThrow(/no forward/);
    list.dispose();
  });
});

describe('Module: state dict', () => {
  it('round trip: a second model gets the first one’s values, and parameters keep their identity', () => {
    manualSeed(1);
    const a = new Net();
    tidy(() => {
      a.train();
      a.call(
        tensor([
          [1, 2, 3],
          [3, 1, 0],
          [0, 0, 1],
        ]),
      );
    });
    manualSeed(2);
    const b = new Net();
    const weightBefore = b.head.weight;
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.head.weight).toBe(weightBefore);
    for (const [name, t] of Object.entries(a.stateDict())) {
      expect(Array.from(b.stateDict()[name].dataSync())).toEqual(Array.from(t.dataSync()));
    }
    expect(b.layers[0].norm.numBatchesTracked!.item()).toBe(1);
    // The copies are independent: changing a leaves b as it was.
    const before = Array.from(b.head.weight.dataSync());
    tidy(() => a.head.weight.assign(zeros([2, 4])));
    expect(Array.from(b.head.weight.dataSync())).toEqual(before);
    a.dispose();
    b.dispose();
  });

  it('strict loading names the missing, unexpected and mismatched keys', () => {
    const m = mlp({ sizes: [3, 4, 2] });
    const dict = { ...m.stateDict() };
    const w = dict['2.weight'];
    delete dict['2.weight'];
    dict['2.gain'] = w;
    expect(() => m.loadStateDict(dict)).toThrow(/missing keys: 2\.weight; unexpected keys: 2\.gain/);
    expect(() => m.loadStateDict(dict)).toThrow(ArgumentError);
    expect(m.loadStateDict(dict, { strict: false })).toEqual({
      missingKeys: ['2.weight'],
      unexpectedKeys: ['2.gain'],
    });
    const bad = zeros([4, 4]);
    expect(() => m.loadStateDict({ ...m.stateDict(), '0.weight': bad })).toThrow(
      /0\.weight: the module has shape \[4, 3\], the state dict \[4, 4\]/,
    );
    expect(() => m.loadStateDict({ ...m.stateDict(), '0.weight': bad }, { strict: false })).toThrow(
      ShapeError,
    );
    bad.dispose();
    m.dispose();
  });

  it('accepts a Map and casts other dtypes', () => {
    const bn = new BatchNorm1d(2);
    const dict = new Map(Object.entries(bn.stateDict()));
    const count = tensor([7]).reshape([]);
    dict.set('numBatchesTracked', count);
    bn.loadStateDict(dict);
    expect(bn.numBatchesTracked!.dtype).toBe('int32');
    expect(bn.numBatchesTracked!.item()).toBe(7);
    count.dispose();
    bn.dispose();
  });
});

describe('Module: devices', () => {
  it('to(device) moves parameters, buffers and gradients in place to a second backend', async () => {
    registerBackend('second', () => ({ ...minimalBackend(), name: 'second' }), 0);
    await initBackend('second');
    manualSeed(3);
    const model = mlp({ sizes: [3, 4, 2], norm: 'batch' });
    const x = tensor([
      [1, 2, 3],
      [-1, 0, 2],
    ]);
    const expected = tidy(() => Array.from(model.eval().call(x).dataSync()));
    tidy(() => model.train().call(x).sum().backward());
    const params = model.parameters();
    const counts = memory().backends;
    const cpuBefore = counts.cpu.numTensors;
    model.to('second');
    expect(model.parameters()).toEqual(params);
    expect([...model.parameters(), ...model.buffers()].every((t) => t.device === 'second')).toBe(true);
    expect(model.parameters().every((p) => p.grad!.device === 'second')).toBe(true);
    const moved = params.length * 2 + model.buffers().length;
    expect(memory().backends.second.numTensors).toBe(moved);
    expect(memory().backends.cpu.numTensors).toBe(cpuBefore - moved);
    model.eval();
    const x2 = x.to('second');
    // The batch above updated the running stats, so compare against a fresh eval on cpu after moving back.
    const onSecond = tidy(() => Array.from(model.call(x2).dataSync()));
    model.to('cpu');
    const onCpu = tidy(() => Array.from(model.call(x).dataSync()));
    onSecond.forEach((v, i) => {
      expect(v).toBeCloseTo(onCpu[i], 5);
    });
    expect(expected).toHaveLength(4);
    model.zeroGrad();
    model.dispose();
    x.dispose();
    x2.dispose();
    ENGINE.removeBackend('second', true);
  });

  it('layers build on a cpu backend registered under a name of its own, as the cpu README shows', async () => {
    registerBackend('cpu-1', () => cpuBackend({ threads: 1 }), 0);
    await setBackend('cpu-1');
    try {
      manualSeed(5);
      const model = mlp({ sizes: [3, 4, 2] });
      expect(model.parameters().every((p) => p.device === 'cpu-1')).toBe(true);
      const x = tensor([[1, 2, 3]]);
      expect(x.device).toBe('cpu-1');
      const y = tidy(() => Array.from(model.call(x).dataSync()));
      expect(y).toHaveLength(2);
      model.to('cpu');
      expect(model.parameters().every((p) => p.device === 'cpu')).toBe(true);
      model.dispose();
      x.dispose();
    } finally {
      await setBackend('cpu');
      ENGINE.removeBackend('cpu-1', true);
    }
  });
});

describe('Module: text', () => {
  it('toString is a nested PyTorch-style description', () => {
    const net = mlp({ sizes: [784, 128, 10], dropout: 0.2 });
    expect(net.toString()).toBe(
      [
        'Sequential(',
        '  (0): Linear(inFeatures=784, outFeatures=128, bias=true)',
        '  (1): ReLU()',
        '  (2): Dropout(p=0.2)',
        '  (3): Linear(inFeatures=128, outFeatures=10, bias=true)',
        ')',
      ].join('\n'),
    );
    net.dispose();
  });

  it('summary lists per-layer parameter counts and the totals', () => {
    const net = mlp({ sizes: [784, 128, 10], norm: 'batch' });
    net.at(0).parameters()[1].requiresGrad = false;
    const text = net.summary();
    const lines = text.split('\n');
    expect(lines[0]).toBe('Sequential summary');
    expect(lines[2]).toMatch(/^Layer\s+Type\s+Params\s+Shapes$/);
    expect(lines[4]).toMatch(/^0\s+Linear\s+100,480\s+weight \[128, 784\], bias \[128\] \(frozen\)$/);
    expect(lines[5]).toMatch(/^1\s+BatchNorm1d\s+256\s+weight \[128\], bias \[128\]$/);
    expect(lines[6]).toMatch(/^2\s+ReLU\s+0$/);
    expect(lines[7]).toMatch(/^3\s+Linear\s+1,290\s+weight \[10, 128\], bias \[10\]$/);
    expect(text).toContain('Total params: 102,026');
    expect(text).toContain('Trainable params: 101,898');
    expect(text).toContain('Non-trainable params: 128');
    expect(text).toContain('Buffers: 3 (257 elements)');
    net.dispose();
  });

  it('summary gives the root a row when it holds parameters itself', () => {
    const net = new Net();
    const lines = net.summary().split('\n');
    expect(lines[4]).toMatch(/^\(root\)\s+Net\s+1\s+scale \[1\]$/);
    expect(lines[5]).toMatch(/^layers\.0\s+Block\s+0$/);
    expect(lines[6]).toMatch(/^ {2}layers\.0\.fc\s+Linear\s+16\s+weight \[4, 3\], bias \[4\]$/);
    expect(net.summary()).toContain(`Total params: ${net.parameterCount()}`);
    net.dispose();
  });

  it('summary of a leaf module', () => {
    const lin = new Linear(2, 3);
    expect(lin.summary()).toContain('(root)  Linear       9  weight [3, 2], bias [3]');
    lin.dispose();
  });
});

describe('Module: dropout inside a model follows train/eval', () => {
  it('eval is deterministic, train is not', () => {
    const net = new Sequential(new Dropout(0.5));
    const x = tensor([[1, 2, 3, 4, 5, 6, 7, 8]]);
    net.eval();
    expect(Array.from(net.call(x).dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    net.train();
    const y = Array.from(net.call(x).dataSync());
    expect(y.some((v, i) => v === 0 || v === 2 * (i + 1))).toBe(true);
    x.dispose();
  });
});

describe('the gradcheck harness', () => {
  it('catches a wrong gradient (so the activation checks mean something)', () => {
    const wrong = (x: Tensor) =>
      composite(
        'wrong',
        [x],
        () => x.mul(x),
        (g) => [g.mul(x)],
      );
    expect(gradcheck(wrong, [tensor([0.5, -1.2], { requiresGrad: true })]).passed).toBe(false);
  });
});
