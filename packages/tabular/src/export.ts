/** A tabular agent's Q table as a `q-table` policy file, for actors and the model-server to act with. */
import { encodePolicyWeights, type QTableSpec } from '@reverie/policy';
import type { TabularAgent } from './learner.js';

/**
 * Encodes the Q table (rounded from float64 to float32, the file's dtype) as a policy file. The policy
 * acts greedily with the lowest index on ties, like tieBreak 'first'; rounding can turn values that
 * differ only past float32 precision into ties.
 */
export function qTablePolicyWeights(agent: TabularAgent, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const spec: QTableSpec = {
    kind: 'q-table',
    numStates: agent.numStates,
    numActions: agent.numActions,
    ...(metadata === undefined ? {} : { metadata }),
  };
  return encodePolicyWeights(spec, { q: Float32Array.from(agent.q) });
}
