export { sin, cos, sincos, sinExact, cosExact } from './sincos.js';
export { pow2, powf2, pow2Exact, powf2Exact } from './pow.js';
export { npSinf, npCosf } from './sinf.js';
export { fma, fma32 } from './fma.js';
