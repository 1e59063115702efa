// Library side of @reverie/cli: experiment helpers later commands reuse.
export * from './stats.js';
export * from './plot.js';
export * from './results.js';
export * from './summary.js';
export * from './options.js';
export * from './progress.js';
export * from './pool.js';
export * from './io.js';
export { PLOT_FONT_FAMILY, plotFontFiles } from './fonts.js';
export { runDynaQJob, type DynaQJob, type EpisodeCallback } from './dyna-job.js';
export { runDynaQGrid, gridJobs, type DynaQGrid } from './experiment.js';
export { createProgram, runCli, EXIT_USAGE } from './program.js';
export {
  DEFAULT_THRESHOLDS,
  comparisonPlot,
  dynaQCommand,
  parseDynaQOptions,
  runDynaQ,
  type DynaQConfig,
  type DynaQReport,
} from './commands/dyna-q.js';
export { mazeCommand, mazeCurves, mazeLabel, mazePlot, parseMazeOptions, runMaze, type MazeConfig, type MazeCurve, type MazeReport } from './commands/maze.js';
export { TABULAR_ENVS, type TabularEnvId } from './commands/common.js';
export { MODEL_ENVS, STATE_NAMES, collectRandom, dynamicsFor, loadModelFile, trainModel, type ModelEnvId, type ModelKind, type ModelTraining } from './learned.js';
export * from './modelQuality.js';
export { parseWorldModelOptions, runWorldModel, worldModelCommand, type WorldModelConfig, type WorldModelReport } from './commands/world-model.js';
export { PLANNERS, PLAN_MODELS, parsePlanOptions, planCommand, runPlan, type PlanConfig, type PlanReport } from './commands/plan.js';
