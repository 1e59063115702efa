/** A QNetwork's weights as an `mlp-q` policy file, for actors and the model-server to act with. */
import { encodePolicyWeights, type MlpQSpec } from '@reverie/policy';
import type { QNetwork } from './qnet.js';

/** The mlp-q spec of a network: flat observation of `stateSize`, ReLU hidden layers, linear Q head. */
export function qNetworkPolicySpec(net: QNetwork, metadata?: Readonly<Record<string, string>>): MlpQSpec {
  const sizes = net.sizes;
  return {
    kind: 'mlp-q',
    obsShape: [sizes[0]],
    numActions: sizes[sizes.length - 1],
    hidden: sizes.slice(1, -1),
    activation: 'relu',
    ...(metadata === undefined ? {} : { metadata }),
  };
}

/**
 * Encodes the network's current weights (read back from the backend) as a policy file; `metadata`
 * adds annotations such as the weight version or env id.
 */
export function qNetworkPolicyWeights(net: QNetwork, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const tensors: Record<string, Float32Array> = {};
  net.weights.forEach((w, l) => (tensors[`l${l}.weight`] = w.dataSync() as Float32Array));
  net.biases.forEach((b, l) => (tensors[`l${l}.bias`] = b.dataSync() as Float32Array));
  return encodePolicyWeights(qNetworkPolicySpec(net, metadata), tensors);
}
