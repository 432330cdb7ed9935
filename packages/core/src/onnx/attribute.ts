import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/**
 * A typed ONNX node attribute. ONNX tells ints from floats, so a bare JS number would be
 * ambiguous (`epsilon: 1` must stay a float); build values with {@link attr}.
 */
export type AttributeValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

/** Attributes of one node, by ONNX attribute name (`axis`, `perm`, `epsilon`, ...). */
export type Attributes = Readonly<Record<string, AttributeValue>>;

function checkInteger(what: string, value: number): number {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`attribute ${what}: expected a safe integer, got ${value}`);
  }
  return value;
}

/** Constructors for {@link AttributeValue}s: `attr.int(1)`, `attr.ints([0, 2, 1, 3])`, ... */
export const attr = {
  int: (value: number): AttributeValue => ({ kind: 'int', value: checkInteger('int', value) }),
  float: (value: number): AttributeValue => ({ kind: 'float', value }),
  ints: (value: readonly number[]): AttributeValue => ({
    kind: 'ints',
    value: value.map((v) => checkInteger('ints', v)),
  }),
  floats: (value: readonly number[]): AttributeValue => ({ kind: 'floats', value: [...value] }),
  string: (value: string): AttributeValue => ({ kind: 'string', value }),
} as const;

/** Converts one attribute to its protobuf form. */
export function attributeProto(name: string, value: AttributeValue): onnxProto.onnx.AttributeProto {
  const type = onnx.AttributeProto.AttributeType;
  switch (value.kind) {
    case 'int':
      return onnx.AttributeProto.create({ name, type: type.INT, i: value.value });
    case 'float':
      return onnx.AttributeProto.create({ name, type: type.FLOAT, f: value.value });
    case 'ints':
      return onnx.AttributeProto.create({ name, type: type.INTS, ints: [...value.value] });
    case 'floats':
      return onnx.AttributeProto.create({ name, type: type.FLOATS, floats: [...value.value] });
    case 'string':
      return onnx.AttributeProto.create({
        name,
        type: type.STRING,
        s: new TextEncoder().encode(value.value),
      });
  }
}
