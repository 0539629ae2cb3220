/** Class colours (RGB), shared by the points, the decision regions and the confusion matrix. */
export const CLASS_COLORS: readonly (readonly [number, number, number])[] = [
  [230, 120, 40],
  [40, 120, 220],
  [60, 170, 90],
  [200, 60, 160],
  [150, 110, 60],
  [110, 90, 210],
  [220, 190, 40],
  [40, 180, 190],
  [200, 70, 70],
  [120, 120, 120],
];

export function rgb(c: readonly [number, number, number], alpha = 1): string {
  return `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${alpha})`;
}

/** A 2-D drawing context, or an error naming the canvas (a page without canvas support cannot show anything). */
export function context2d(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error(`canvas #${canvas.id}: no 2-D context`);
  return ctx;
}
