import onnxProto from 'onnx-proto';

// onnx-proto is CommonJS: its namespace is the default export under ESM.
const { onnx } = onnxProto;

export { onnx };

/** An attribute value: a number (float or int by name), numbers, a string or strings. */
export type AttributeValue = number | readonly number[] | string | readonly string[];

/** Attribute names whose numbers are integers (everything else numeric is a float). */
const INT_ATTRIBUTES = new Set([
  'axis',
  'axes',
  'transB',
  'transA',
  'kernel_shape',
  'strides',
  'pads',
  'dilations',
  'group',
  'ceil_mode',
  'count_include_pad',
  'keepdims',
  'allowzero',
  'to',
  'perm',
  'hidden_size',
  'layout',
  'linear_before_reset',
  'upper',
  'start',
  'end',
  'output_padding',
]);

/**
 * Builds an ONNX graph node by node: weights become initializers, every intermediate gets a
 * fresh name, and `model()` wraps it in a ModelProto of the chosen opset.
 */
export class GraphBuilder {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private count = 0;

  /** A fresh value name with a readable prefix. */
  fresh(prefix: string): string {
    this.count++;
    return `${prefix}_${this.count}`;
  }

  /** Adds a float32 initializer (a weight or a constant) and returns its name. */
  floats(prefix: string, data: ArrayLike<number>, dims: readonly number[]): string {
    const name = this.fresh(prefix);
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dataType: onnx.TensorProto.DataType.FLOAT,
        dims: [...dims],
        rawData: new Uint8Array(Float32Array.from(data).buffer),
      }),
    );
    return name;
  }

  /** Adds an int64 initializer (a shape for Reshape, axes) and returns its name; 1-D unless `dims` says. */
  int64s(prefix: string, data: readonly number[], dims: readonly number[] = [data.length]): string {
    const name = this.fresh(prefix);
    this.initializers.push(
      onnx.TensorProto.create({
        name,
        dataType: onnx.TensorProto.DataType.INT64,
        dims: [...dims],
        rawData: new Uint8Array(BigInt64Array.from(data, (v) => BigInt(v)).buffer),
      }),
    );
    return name;
  }

  /** Adds a node computing `op(inputs)` with `attributes`; returns its output's name. */
  node(
    op: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue>> = {},
  ): string {
    return this.nodeOutputs(op, inputs, 1, attributes)[0];
  }

  /**
   * Adds a node with `count` outputs (LSTM's Y, Y_h, Y_c); returns their names. An empty input
   * name leaves an optional input out, as ONNX spells it.
   */
  nodeOutputs(
    op: string,
    inputs: readonly string[],
    count: number,
    attributes: Readonly<Record<string, AttributeValue>> = {},
  ): string[] {
    const outputs = Array.from({ length: count }, () => this.fresh(op.toLowerCase()));
    this.nodes.push(
      onnx.NodeProto.create({
        opType: op,
        name: outputs[0],
        input: [...inputs],
        output: outputs,
        attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
      }),
    );
    return outputs;
  }

  /**
   * Gives value `from` the graph output name `to`: an Identity node, so that one value may feed
   * both later nodes and the output (an LSTM's Y_h is both a layer's state and an output).
   */
  outputAs(from: string, to: string): void {
    this.nodes.push(onnx.NodeProto.create({ opType: 'Identity', name: to, input: [from], output: [to] }));
  }

  /** The finished model: its inputs and outputs with their element types and shapes (string dims are symbolic). */
  model(spec: {
    readonly opset: number;
    readonly inputs: readonly ValueSpec[];
    readonly outputs: readonly ValueSpec[];
    readonly producer: string;
  }): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: 'backprop',
      node: this.nodes,
      initializer: this.initializers,
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: spec.producer,
      opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: spec.opset })],
      graph,
    });
    // A plain Uint8Array of its own (in Node protobufjs hands back a Buffer, possibly a slice of a shared pool).
    return new Uint8Array(onnx.ModelProto.encode(model).finish());
  }
}

/** A graph input or output. */
export interface ValueSpec {
  readonly name: string;
  readonly elemType: 'float32' | 'int32' | 'int64';
  /** Sizes; a string is a symbolic dimension (the batch). */
  readonly dims: readonly (number | string)[];
}

const ELEM_TYPES = {
  float32: onnx.TensorProto.DataType.FLOAT,
  int32: onnx.TensorProto.DataType.INT32,
  int64: onnx.TensorProto.DataType.INT64,
} as const;

function valueInfo(v: ValueSpec): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name: v.name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: ELEM_TYPES[v.elemType],
        shape: onnx.TensorShapeProto.create({
          dim: v.dims.map((d) =>
            typeof d === 'string'
              ? onnx.TensorShapeProto.Dimension.create({ dimParam: d })
              : onnx.TensorShapeProto.Dimension.create({ dimValue: d }),
          ),
        }),
      }),
    }),
  });
}

function attribute(name: string, value: AttributeValue): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string')
    return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(value) });
  if (isStrings(value))
    return onnx.AttributeProto.create({
      name,
      type: T.STRINGS,
      strings: value.map((v) => new TextEncoder().encode(v)),
    });
  if (typeof value === 'number')
    return INT_ATTRIBUTES.has(name)
      ? onnx.AttributeProto.create({ name, type: T.INT, i: value })
      : onnx.AttributeProto.create({ name, type: T.FLOAT, f: value });
  const numbers = value as readonly number[];
  return INT_ATTRIBUTES.has(name)
    ? onnx.AttributeProto.create({ name, type: T.INTS, ints: [...numbers] })
    : onnx.AttributeProto.create({ name, type: T.FLOATS, floats: [...numbers] });
}

function isStrings(value: AttributeValue): value is readonly string[] {
  return Array.isArray(value) && value.length > 0 && typeof value[0] === 'string';
}
