export { TransitionTable, firstAbove, cumulativeSum, colorize, type Transition, type TransitionView } from './tabular.js';
export { TabularEnv, type TabularCoreState } from './tabularEnv.js';
export {
  TaxiEnv,
  TAXI_MAP,
  TAXI_LOCS,
  taxiEncode,
  taxiDecode,
  taxiActionMask,
  taxiTransitions,
  taxiInitialDistribution,
  type TaxiCoreState,
} from './taxi.js';
export { FrozenLakeEnv, frozenLakeTransitions, type FrozenLakeConfig } from './frozenLake.js';
export { FROZEN_LAKE_MAPS, generateRandomMap, isValidFrozenLakeMap, type RandomMapOptions } from './frozenLakeMaps.js';
export { DynaMazeEnv, DYNA_MAZES, parseMaze, mazeTransitions } from './dynaMaze.js';
export { TicTacToeEnv, type TicTacToeCoreState, type TicTacToePlayer, type TicTacToeOpponent } from './ticTacToe.js';
