export { TabularError, type TieBreak } from './errors.js';
export { TabularLearner, type TabularAgent, type LearnerOptions } from './learner.js';
export { TabularModel } from './model.js';
export { IndexedMaxHeap } from './heap.js';
export { PredecessorLists } from './predecessors.js';
export { DynaQ, QLearning, type DynaQOptions, type QLearningOptions } from './dyna.js';
export { DynaQPlus, type DynaQPlusOptions } from './dynaplus.js';
export { PrioritizedSweeping, type PrioritizedSweepingOptions } from './prioritized.js';
export { runEpisodes, type DiscreteEnv, type RunOptions, type RunResult } from './runner.js';
