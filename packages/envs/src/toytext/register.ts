// Registers the toy-text environments (Taxi-v3, FrozenLake-v1, FrozenLake8x8-v1, DynaMaze-v0, TicTacToe-v0).
export {};
