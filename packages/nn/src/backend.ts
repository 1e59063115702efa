/**
 * Chooses the TensorFlow.js backend: the one place in the project that does.
 *
 * Order for `auto`: `@tensorflow/tfjs-node-gpu` (CUDA), `@tensorflow/tfjs-node`, WASM, plain JS `cpu`.
 * The two native packages download libtensorflow when installed, which fails offline, so they are
 * never dependencies: they are loaded with a dynamic `import()` only when someone installed them.
 */
import '@tensorflow/tfjs-backend-wasm'; // registers 'wasm'; tfjs itself registers 'cpu'
import * as tf from './tf.js';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];
export const BACKEND_ENV_VAR = 'REVERIE_BACKEND';

export interface InitBackendOptions {
  /** Wins over `REVERIE_BACKEND` when given (flags override environment, as in every config). */
  backend?: BackendChoice;
  /** Environment to read `REVERIE_BACKEND` from; `process.env` by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Loads a module by name; tests swap it. Defaults to a dynamic `import()`. */
  importModule?: (specifier: string) => Promise<unknown>;
}

export interface BackendInfo {
  name: BackendName;
  /** What provides it: a package name, or `'builtin'` for wasm/cpu shipped with @reverie/nn. */
  source: string;
  /** Candidates tried before the chosen one, with why each was passed over. */
  skipped: { candidate: string; reason: string }[];
}

const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

let current: BackendInfo | null = null;

/** The backend chosen by the last successful `initBackend`, or null before it. */
export function backendInfo(): BackendInfo | null {
  return current === null ? null : { ...current, skipped: [...current.skipped] };
}

/** One line for logs: `wasm (builtin; passed over @tensorflow/tfjs-node-gpu: not installed, ...)`. */
export function describeBackend(info: BackendInfo | null = current): string {
  if (info === null) return 'no backend initialised';
  const skipped = info.skipped.length === 0 ? '' : `; passed over ${describeSkipped(info.skipped)}`;
  return `${info.name} (${info.source}${skipped})`;
}

/**
 * The active backend's name. Throws a clear error when no backend is ready yet, instead of
 * tfjs's own message about the highest-priority backend (wasm, which initialises asynchronously).
 */
export function requireBackend(): string {
  const name: string | null | undefined = tf.engine().backendName;
  if (!name) throw new Error('no TensorFlow.js backend is ready: await initBackend() from @reverie/nn before building or running a model');
  return name;
}

/**
 * Selects and initialises the backend, resolving to its name. A backend that was forced (by the
 * option or `REVERIE_BACKEND`) and cannot load rejects with an error saying why; `auto` falls
 * through the candidates and records the reasons in `backendInfo().skipped`.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendName> {
  const choice = resolveChoice(options);
  const importModule = options.importModule ?? defaultImport;
  const info = choice === 'auto' ? await initAuto(importModule) : await initForced(choice, importModule);
  // Production mode drops per-op debug checks and tfjs's console advice; we report the backend ourselves.
  tf.enableProdMode();
  current = info;
  return info.name;
}

function resolveChoice(options: InitBackendOptions): BackendChoice {
  if (options.backend !== undefined) {
    if (!isChoice(options.backend)) {
      throw new Error(`backend: unknown backend ${JSON.stringify(options.backend)}; expected one of ${BACKEND_CHOICES.join(', ')}`);
    }
    return options.backend;
  }
  const raw = (options.env ?? process.env)[BACKEND_ENV_VAR];
  if (raw === undefined || raw === '') return 'auto';
  const value = raw.trim().toLowerCase();
  if (!isChoice(value)) {
    throw new Error(`${BACKEND_ENV_VAR}: unknown backend ${JSON.stringify(raw)}; expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
  return value;
}

function isChoice(v: string): v is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(v);
}

async function initAuto(importModule: (s: string) => Promise<unknown>): Promise<BackendInfo> {
  const skipped: BackendInfo['skipped'] = [];
  for (const pkg of NATIVE_PACKAGES) {
    const failure = await tryNative(pkg, importModule);
    if (failure === null) return { name: 'tensorflow', source: pkg, skipped };
    skipped.push({ candidate: pkg, reason: failure });
  }
  for (const name of ['wasm', 'cpu'] as const) {
    const failure = await trySet(name);
    if (failure === null) return { name, source: 'builtin', skipped };
    skipped.push({ candidate: name, reason: failure });
  }
  throw new Error(`no TensorFlow.js backend could be initialised: ${describeSkipped(skipped)}`);
}

async function initForced(name: BackendName, importModule: (s: string) => Promise<unknown>): Promise<BackendInfo> {
  if (name !== 'tensorflow') {
    const failure = await trySet(name);
    if (failure !== null) throw new Error(`backend '${name}' was requested but failed to initialise: ${failure}`);
    return { name, source: 'builtin', skipped: [] };
  }
  const skipped: BackendInfo['skipped'] = [];
  for (const pkg of NATIVE_PACKAGES) {
    const failure = await tryNative(pkg, importModule);
    if (failure === null) return { name, source: pkg, skipped };
    skipped.push({ candidate: pkg, reason: failure });
  }
  throw new Error(
    `backend 'tensorflow' was requested but neither native package loads (${describeSkipped(skipped)}); ` +
      `install @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (needs network access to fetch libtensorflow), ` +
      `or choose ${BACKEND_ENV_VAR}=wasm or cpu`,
  );
}

/** Loads a native package (which registers the 'tensorflow' backend) and selects it; null on success. */
async function tryNative(pkg: string, importModule: (s: string) => Promise<unknown>): Promise<string | null> {
  try {
    await importModule(pkg);
  } catch (err) {
    return isMissingModule(err, pkg) ? 'not installed' : `failed to load: ${errorMessage(err)}`;
  }
  if (tf.findBackendFactory('tensorflow') === null) return 'loaded but registered no "tensorflow" backend';
  return trySet('tensorflow');
}

async function trySet(name: BackendName): Promise<string | null> {
  try {
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) return 'initialisation returned false';
    await tf.ready();
    return null;
  } catch (err) {
    return errorMessage(err);
  }
}

/** True only when the package itself is absent, not when it is present but its native binding breaks. */
export function isMissingModule(err: unknown, pkg: string): boolean {
  const msg = errorMessage(err);
  const quoted = new RegExp(`Cannot find (package|module) ['"]${pkg.replace(/[/\\^$*+?.()|[\]{}-]/g, '\\$&')}['"]`);
  return quoted.test(msg) || (hasCode(err, 'ERR_MODULE_NOT_FOUND') && msg.includes(`'${pkg}'`));
}

function hasCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === code;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

function describeSkipped(skipped: BackendInfo['skipped']): string {
  return skipped.map((s) => `${s.candidate}: ${s.reason}`).join('; ');
}

// A variable specifier keeps bundlers and the type checker from requiring the optional packages.
function defaultImport(specifier: string): Promise<unknown> {
  return import(specifier) as Promise<unknown>;
}
