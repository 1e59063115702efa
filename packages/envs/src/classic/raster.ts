/**
 * A small software rasteriser for the classic-control renderers. Shapes are given in Gymnasium's pygame
 * surface coordinates (origin bottom-left, y up, before its vertical flip) of a `surfaceWidth` x
 * `surfaceHeight` surface, and drawn into a `width` x `height` RGB image (row 0 at the top), so any output
 * size shows the same geometry. A pixel is painted when its centre is inside the shape. Nothing is
 * allocated per pixel.
 */
export class Canvas {
  readonly data: Uint8Array;
  /** Surface units per output pixel. */
  private readonly kx: number;
  private readonly ky: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly surfaceWidth: number,
    readonly surfaceHeight: number,
    data?: Uint8Array,
  ) {
    this.data = data ?? new Uint8Array(width * height * 3);
    this.kx = surfaceWidth / width;
    this.ky = surfaceHeight / height;
  }

  fill(r: number, g: number, b: number): void {
    const d = this.data;
    for (let p = 0; p < d.length; p += 3) {
      d[p] = r;
      d[p + 1] = g;
      d[p + 2] = b;
    }
  }

  /** Paints pixels i0..i1 (inclusive, clipped) of row j. */
  private span(j: number, i0: number, i1: number, r: number, g: number, b: number): void {
    if (j < 0 || j >= this.height) return;
    const lo = Math.max(0, i0);
    const hi = Math.min(this.width - 1, i1);
    const d = this.data;
    for (let p = (j * this.width + lo) * 3, end = (j * this.width + hi) * 3; p <= end; p += 3) {
      d[p] = r;
      d[p + 1] = g;
      d[p + 2] = b;
    }
  }

  /** Output rows whose centres lie in [ylo, yhi] (surface units). */
  private rows(ylo: number, yhi: number): [number, number] {
    const j0 = Math.max(0, Math.ceil((this.surfaceHeight - yhi) / this.ky - 0.5));
    const j1 = Math.min(this.height - 1, Math.floor((this.surfaceHeight - ylo) / this.ky - 0.5));
    return [j0, j1];
  }

  /** Fills a convex polygon whose n vertices are (xs[k], ys[k]), by scanlines through pixel centres. */
  fillConvexPolygon(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, r: number, g: number, b: number): void {
    let ylo = Infinity;
    let yhi = -Infinity;
    for (let k = 0; k < n; k++) {
      ylo = Math.min(ylo, ys[k]);
      yhi = Math.max(yhi, ys[k]);
    }
    const [j0, j1] = this.rows(ylo, yhi);
    for (let j = j0; j <= j1; j++) {
      const y = this.surfaceHeight - (j + 0.5) * this.ky;
      let xlo = Infinity;
      let xhi = -Infinity;
      for (let k = 0; k < n; k++) {
        const x1 = xs[k];
        const y1 = ys[k];
        const x2 = xs[(k + 1) % n];
        const y2 = ys[(k + 1) % n];
        if (y1 === y2) {
          if (y === y1) {
            xlo = Math.min(xlo, x1, x2);
            xhi = Math.max(xhi, x1, x2);
          }
          continue;
        }
        if ((y < y1 && y < y2) || (y > y1 && y > y2)) continue;
        const x = x1 + ((y - y1) * (x2 - x1)) / (y2 - y1);
        xlo = Math.min(xlo, x);
        xhi = Math.max(xhi, x);
      }
      if (xlo > xhi) continue;
      this.span(j, Math.ceil(xlo / this.kx - 0.5), Math.floor(xhi / this.kx - 0.5), r, g, b);
    }
  }

  /** Fills the disc of the given radius around (cx, cy). */
  fillCircle(cx: number, cy: number, radius: number, r: number, g: number, b: number): void {
    const [j0, j1] = this.rows(cy - radius, cy + radius);
    for (let j = j0; j <= j1; j++) {
      const dy = this.surfaceHeight - (j + 0.5) * this.ky - cy;
      const half = Math.sqrt(Math.max(0, radius * radius - dy * dy));
      this.span(j, Math.ceil((cx - half) / this.kx - 0.5), Math.floor((cx + half) / this.kx - 0.5), r, g, b);
    }
  }

  /** A horizontal line one surface pixel thick at row y (drawn at least one output pixel thick). */
  hline(y: number, r: number, g: number, b: number): void {
    const j = Math.min(this.height - 1, Math.max(0, Math.floor((this.surfaceHeight - (y + 0.5)) / this.ky)));
    this.span(j, 0, this.width - 1, r, g, b);
  }

  /** A straight segment drawn as a thin quadrilateral `thickness` surface units wide. */
  line(x1: number, y1: number, x2: number, y2: number, thickness: number, r: number, g: number, b: number): void {
    const len = Math.hypot(x2 - x1, y2 - y1);
    if (len === 0) return;
    // Never thinner than one output pixel, so lines survive downscaling.
    const half = Math.max(thickness, this.kx, this.ky) / 2;
    const nx = (-(y2 - y1) / len) * half;
    const ny = ((x2 - x1) / len) * half;
    quadX[0] = x1 + nx;
    quadY[0] = y1 + ny;
    quadX[1] = x2 + nx;
    quadY[1] = y2 + ny;
    quadX[2] = x2 - nx;
    quadY[2] = y2 - ny;
    quadX[3] = x1 - nx;
    quadY[3] = y1 - ny;
    this.fillConvexPolygon(quadX, quadY, 4, r, g, b);
  }
}

const quadX = new Float64Array(4);
const quadY = new Float64Array(4);

/** Validates a render size option. */
export function renderSize(v: number): boolean {
  return Number.isInteger(v) && v > 0 && v <= 4096;
}
