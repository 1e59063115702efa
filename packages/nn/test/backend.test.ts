import { describe, expect, it } from 'vitest';
import { backendInfo, describeBackend, initBackend, isMissingModule, requireBackend, tf } from '@reverie/nn';

// Neither native package is installed in this workspace (they download libtensorflow at install).
const notInstalled = async (spec: string): Promise<unknown> => {
  throw Object.assign(new Error(`Cannot find package '${spec}' imported from /x/backend.ts`), { code: 'ERR_MODULE_NOT_FOUND' });
};

describe('initBackend', () => {
  it('before any backend is ready, requireBackend says what to do', () => {
    expect(() => requireBackend()).toThrow(/await initBackend\(\) from @reverie\/nn/);
  });

  it('auto falls through missing native packages to wasm and says why', async () => {
    expect(await initBackend({ backend: 'auto', importModule: notInstalled })).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const info = backendInfo();
    expect(info?.source).toBe('builtin');
    expect(info?.skipped).toEqual([
      { candidate: '@tensorflow/tfjs-node-gpu', reason: 'not installed' },
      { candidate: '@tensorflow/tfjs-node', reason: 'not installed' },
    ]);
    expect(requireBackend()).toBe('wasm');
    expect(describeBackend()).toBe('wasm (builtin; passed over @tensorflow/tfjs-node-gpu: not installed; @tensorflow/tfjs-node: not installed)');
  });

  it('auto works with the real dynamic import when the native packages are absent', async () => {
    const name = await initBackend({ env: {} });
    expect(['tensorflow', 'wasm']).toContain(name);
    if (name === 'wasm') expect(backendInfo()?.skipped.map((s) => s.reason)).toEqual(['not installed', 'not installed']);
  });

  it('REVERIE_BACKEND forces a backend; an explicit option wins over it', async () => {
    expect(await initBackend({ env: { REVERIE_BACKEND: 'cpu' } })).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(await initBackend({ backend: 'wasm', env: { REVERIE_BACKEND: 'cpu' } })).toBe('wasm');
    expect(await initBackend({ env: { REVERIE_BACKEND: ' CPU ' } })).toBe('cpu');
  });

  it('a forced backend that cannot load fails with a clear error', async () => {
    await expect(initBackend({ backend: 'tensorflow', importModule: notInstalled })).rejects.toThrow(
      /backend 'tensorflow' was requested.*@tensorflow\/tfjs-node-gpu: not installed.*@tensorflow\/tfjs-node: not installed/,
    );
    const broken = async (): Promise<unknown> => {
      throw new Error('libcudart.so.11.0: cannot open shared object file');
    };
    await expect(initBackend({ env: { REVERIE_BACKEND: 'tensorflow' }, importModule: broken })).rejects.toThrow(/failed to load: libcudart/);
  });

  it('auto records a native package that is present but broken, then moves on', async () => {
    const gpuBroken = async (spec: string): Promise<unknown> => {
      if (spec === '@tensorflow/tfjs-node-gpu') throw new Error('libcudart.so.11.0: cannot open shared object file');
      return notInstalled(spec);
    };
    expect(await initBackend({ importModule: gpuBroken, env: {} })).toBe('wasm');
    expect(backendInfo()?.skipped[0]).toEqual({ candidate: '@tensorflow/tfjs-node-gpu', reason: 'failed to load: libcudart.so.11.0: cannot open shared object file' });
  });

  it('rejects an unknown backend name, naming where it came from', async () => {
    await expect(initBackend({ env: { REVERIE_BACKEND: 'webgpu' } })).rejects.toThrow(/REVERIE_BACKEND: unknown backend "webgpu"/);
  });

  it('tells a missing package from a package whose own native binding is missing', () => {
    const pkg = '@tensorflow/tfjs-node';
    expect(isMissingModule(new Error(`Cannot find module '${pkg}'`), pkg)).toBe(true);
    expect(isMissingModule(new Error(`Cannot find module '/x/node_modules/${pkg}/lib/napi-v8/tfjs_binding.node'`), pkg)).toBe(false);
  });
});
