// Atomics.waitAsync is in Node since 16 but in TypeScript's lib only from ES2024; the project
// compiles against ES2022, so its signature is declared here.
declare global {
  interface Atomics {
    waitAsync(
      typedArray: Int32Array,
      index: number,
      value: number,
      timeout?: number,
    ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
  }
}

export {};
