/**
 * NumPy's `np.random.SeedSequence` (O'Neill's seed_seq variant) for a single integer entropy
 * value with the default 4-word pool and no spawn key: the path `np.random.default_rng(seed)`
 * and Gymnasium's `np_random(seed)` take.
 */

const POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;

/** Entropy accepted by {@link SeedSequence}: a non-negative integer of any size. */
export type SeedEntropy = number | bigint;

/** Splits a non-negative integer into 32-bit words, least significant first (NumPy's rule). */
export function intToUint32Words(value: SeedEntropy): Uint32Array {
  const n = toEntropyBigInt(value);
  if (n === 0n) return new Uint32Array(1);
  const words: number[] = [];
  for (let rest = n; rest > 0n; rest >>= 32n) words.push(Number(rest & 0xffffffffn));
  return Uint32Array.from(words);
}

function toEntropyBigInt(value: SeedEntropy): bigint {
  if (typeof value === 'bigint') {
    if (value < 0n) throw new RangeError(`SeedSequence entropy must be non-negative, got ${value}`);
    return value;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new RangeError(`SeedSequence entropy must be a non-negative integer, got ${String(value)}`);
  }
  return BigInt(value);
}

/** 128 bits from the platform CSPRNG, like Python's `secrets.randbits(128)`. */
function randomEntropy(): bigint {
  const words = new Uint32Array(POOL_SIZE);
  globalThis.crypto.getRandomValues(words);
  let n = 0n;
  for (let i = POOL_SIZE - 1; i >= 0; i--) n = (n << 32n) | BigInt(words[i]);
  return n;
}

export class SeedSequence {
  /** The entropy this sequence was built from; log it to reproduce an unseeded run. */
  readonly entropy: bigint;
  /** The mixed 128-bit entropy pool (4 uint32 words), as NumPy's `SeedSequence.pool`. */
  readonly pool: Uint32Array;

  constructor(entropy?: SeedEntropy | null) {
    this.entropy = entropy === undefined || entropy === null ? randomEntropy() : toEntropyBigInt(entropy);
    this.pool = mixEntropy(intToUint32Words(this.entropy));
  }

  /** `generate_state(nWords)` with uint32 words. */
  generateState(nWords: number): Uint32Array;
  /** `generate_state(nWords, np.uint64)`: twice as many uint32 words, paired little-endian. */
  generateState(nWords: number, dtype: 'uint64'): BigUint64Array;
  generateState(nWords: number, dtype: 'uint32'): Uint32Array;
  generateState(nWords: number, dtype: 'uint32' | 'uint64' = 'uint32'): Uint32Array | BigUint64Array {
    if (!Number.isInteger(nWords) || nWords < 0) {
      throw new RangeError(`nWords must be a non-negative integer, got ${nWords}`);
    }
    if (dtype === 'uint32') return this.generateWords(nWords);
    const words = this.generateWords(nWords * 2);
    const out = new BigUint64Array(nWords);
    for (let i = 0; i < nWords; i++) {
      out[i] = (BigInt(words[2 * i + 1]) << 32n) | BigInt(words[2 * i]);
    }
    return out;
  }

  /** The uint32 words behind `generateState`; uint64 output pairs word 2i (low) with 2i+1 (high). */
  generateWords(nWords: number): Uint32Array {
    const out = new Uint32Array(nWords);
    let hashConst = INIT_B;
    for (let i = 0; i < nWords; i++) {
      let v = (this.pool[i % POOL_SIZE] ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      out[i] = (v ^ (v >>> XSHIFT)) >>> 0;
    }
    return out;
  }
}

/** NumPy's `mix_entropy` into a fresh pool; the hash constant threads through every call. */
function mixEntropy(entropy: Uint32Array): Uint32Array {
  const pool = new Uint32Array(POOL_SIZE);
  let hashConst = INIT_A;
  const hashmix = (value: number): number => {
    let v = (value ^ hashConst) >>> 0;
    hashConst = Math.imul(hashConst, MULT_A) >>> 0;
    v = Math.imul(v, hashConst) >>> 0;
    return (v ^ (v >>> XSHIFT)) >>> 0;
  };
  const mix = (x: number, y: number): number => {
    const r = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
    return (r ^ (r >>> XSHIFT)) >>> 0;
  };
  for (let i = 0; i < POOL_SIZE; i++) pool[i] = hashmix(i < entropy.length ? entropy[i] : 0);
  for (let src = 0; src < POOL_SIZE; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) {
      if (src !== dst) pool[dst] = mix(pool[dst], hashmix(pool[src]));
    }
  }
  for (let src = POOL_SIZE; src < entropy.length; src++) {
    for (let dst = 0; dst < POOL_SIZE; dst++) pool[dst] = mix(pool[dst], hashmix(entropy[src]));
  }
  return pool;
}
