/** Builds the configured algorithm for an env, refusing combinations that cannot work. */
import { Discrete, make } from '@reverie/envs';
import { LearnerConfigError, type LearnerConfig } from '../config.js';
import { DqnAlgorithm } from './dqn.js';
import { DynaDqnAlgorithm } from './dynaDqn.js';
import { TabularAlgorithm } from './tabular.js';
import type { AlgorithmEnv, LearnerAlgorithm } from './types.js';

export function envSpecOf(envId: string): AlgorithmEnv {
  const env = make(envId);
  const actions = env.actionSpace;
  if (!(actions instanceof Discrete)) throw new LearnerConfigError(`config env: ${envId} has a continuous action space; the learner's algorithms need Discrete actions`);
  const obs = env.observationSpace;
  return { envId, obsSize: obs.flatSize, numActions: actions.n, ...(obs instanceof Discrete ? { numStates: obs.n } : {}) };
}

export function createAlgorithm(config: LearnerConfig, env: AlgorithmEnv): LearnerAlgorithm {
  if (config.algo === 'dqn' || config.algo === 'dyna-dqn') {
    if (env.numStates !== undefined) throw new LearnerConfigError(`config algo: ${config.algo} needs a Box observation space; ${env.envId} has Discrete(${env.numStates}) (use q-learning or dyna-q)`);
    return config.algo === 'dqn' ? new DqnAlgorithm(env, { ...config }) : new DynaDqnAlgorithm(env, { ...config });
  }
  if (env.numStates === undefined) throw new LearnerConfigError(`config algo: ${config.algo} needs a Discrete observation space; ${env.envId} has a Box (use dqn or dyna-dqn)`);
  return new TabularAlgorithm({ ...env, numStates: env.numStates }, { ...config, planningSteps: config.algo === 'dyna-q' ? config.planningSteps : 0 });
}
