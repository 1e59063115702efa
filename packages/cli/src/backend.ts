/**
 * The compute backend as the model commands report it: chosen once per process (`--backend`, else
 * REVERIE_BACKEND, else the fastest available), then described in one line that is logged at start and
 * written to each report.json, because every speed figure depends on it.
 */
import { BACKEND_CHOICES, backendInfo, type BackendChoice, initBackend, tf } from '@reverie/nn';
import { z } from 'zod';

/** The `--backend` option: one of BACKEND_CHOICES. */
export function backendField() {
  return z.enum(BACKEND_CHOICES as [BackendChoice, ...BackendChoice[]], { error: `must be one of ${BACKEND_CHOICES.join(', ')}` });
}

/** Initialises the backend (`choice` undefined: REVERIE_BACKEND or auto) and returns its label. */
export async function startBackend(choice?: BackendChoice): Promise<string> {
  await initBackend(choice === undefined ? {} : { backend: choice });
  return backendLabel();
}

/** e.g. `wasm (simd, 1 thread)`, `tensorflow (@tensorflow/tfjs-node-gpu)`, `cpu (plain JavaScript)`. */
export async function backendLabel(): Promise<string> {
  const info = backendInfo();
  const name = info?.name ?? tf.getBackend();
  if (name === 'wasm') {
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    const threads = wasmThreads(tf.backend());
    const count = threads === null ? 'threads unknown' : `${threads} thread${threads === 1 ? '' : 's'}`;
    return `wasm (${simd ? 'simd' : 'no simd'}, ${count})`;
  }
  if (name === 'cpu') return 'cpu (plain JavaScript)';
  return info === null ? name : `${name} (${info.source})`;
}

/** The wasm backend's worker-thread count (its Emscripten module exposes it), or null if unknown. */
function wasmThreads(backend: object): number | null {
  const wasm = (backend as { wasm?: { tfjs?: { getThreadsCount?: unknown } } }).wasm;
  const count = wasm?.tfjs?.getThreadsCount;
  return typeof count === 'function' ? Number(count()) : null;
}
