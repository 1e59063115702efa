// Registers the toy-text environments (Taxi-v3, FrozenLake-v1, FrozenLake8x8-v1, DynaMaze-v0, TicTacToe-v0).
import { register } from '../registry.js';
import { DynaMazeEnv } from './dynaMaze.js';
import { FrozenLakeEnv } from './frozenLake.js';
import { TaxiEnv } from './taxi.js';
import { TicTacToeEnv } from './ticTacToe.js';

// Ids, time limits and reward thresholds as in Gymnasium's registry. FrozenLake-v1 keeps its 100-step
// limit even with mapName '8x8', as in Gymnasium; FrozenLake8x8-v1 is the 200-step id.
register({ id: 'Taxi-v3', create: (kw) => new TaxiEnv(kw), maxEpisodeSteps: 200, rewardThreshold: 8 });
register({ id: 'FrozenLake-v1', create: (kw) => new FrozenLakeEnv(kw), maxEpisodeSteps: 100, rewardThreshold: 0.7 });
register({
  id: 'FrozenLake8x8-v1',
  create: (kw) => new FrozenLakeEnv({ mapName: '8x8', ...kw }),
  maxEpisodeSteps: 200,
  rewardThreshold: 0.85,
});
// The book's mazes have no time limit, and neither does this id: pass `maxEpisodeSteps` to make() for one.
register({ id: 'DynaMaze-v0', create: (kw) => new DynaMazeEnv(kw), maxEpisodeSteps: null });
// A game lasts at most 9 moves.
register({ id: 'TicTacToe-v0', create: (kw) => new TicTacToeEnv(kw), maxEpisodeSteps: null });
