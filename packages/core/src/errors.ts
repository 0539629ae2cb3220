/** Base class of every error backprop throws on purpose. */
export class BackpropError extends Error {
  override name = 'BackpropError';
}

/** Shapes that do not fit the op: names the op, the shapes and what was expected. */
export class ShapeError extends BackpropError {
  override name = 'ShapeError';
}

/** A dtype the op does not accept. */
export class DTypeError extends BackpropError {
  override name = 'DTypeError';
}

/** A bad argument value (an axis out of range, a negative size, an unknown option). */
export class ArgumentError extends BackpropError {
  override name = 'ArgumentError';
}

/** A backend problem: none registered, tensors on different backends, a read the backend cannot do, a disposed tensor. */
export class BackendError extends BackpropError {
  override name = 'BackendError';
}
