import type { Command } from 'commander';
import { z } from 'zod';
import { intListOption, intOption, numberOption, workersOption } from '../options.js';

/** Discrete envs a tabular agent can learn (observation and action spaces are Discrete). */
export const TABULAR_ENVS = ['Taxi-v3', 'FrozenLake-v1', 'FrozenLake8x8-v1', 'DynaMaze-v0'] as const;
export type TabularEnvId = (typeof TABULAR_ENVS)[number];

export interface AgentDefaults {
  episodes: number;
  planning: string;
  seeds: number;
  alpha: number;
  gamma: number;
  epsilon: number;
}

/** The parsed values of `addAgentOptions`, shared by every Dyna-style experiment command. */
export interface AgentConfig {
  episodes: number;
  planning: number[];
  seeds: number;
  alpha: number;
  gamma: number;
  epsilon: number;
  out: string;
  workers: number | 'auto';
}

/** The options every Dyna-style experiment command shares; values stay strings for zod to check. */
export function addAgentOptions(cmd: Command, d: AgentDefaults, outHelp: string, outDefault?: string): Command {
  return cmd
    .option('--episodes <n>', 'episodes per run', String(d.episodes))
    .option(
      '--planning <list>',
      'comma-separated planning steps per real step, one setting each (0 = plain Q-learning)',
      d.planning,
    )
    .option('--seeds <n>', 'independent runs per setting, seeded 0..n-1 (agent and env)', String(d.seeds))
    .option('--alpha <x>', 'step size, in (0, 1]', String(d.alpha))
    .option('--gamma <x>', 'discount, in [0, 1]', String(d.gamma))
    .option('--epsilon <x>', 'epsilon-greedy exploration rate, in [0, 1]', String(d.epsilon))
    .option('--out <dir>', outHelp, outDefault)
    .option(
      '--workers <n|auto>',
      "worker threads for the runs ('auto' = one per CPU core; 1 = run on the main thread)",
      'auto',
    );
}

/** zod fields for `addAgentOptions`. */
export const agentOptionFields = {
  episodes: intOption(1),
  planning: intListOption(0),
  seeds: intOption(1),
  alpha: numberOption(0, 1, true),
  gamma: numberOption(0, 1),
  epsilon: numberOption(0, 1),
  out: z.string().trim().min(1, { error: 'must be a directory path' }).optional(),
  workers: workersOption(),
};

export function envField(allowed: readonly TabularEnvId[] = TABULAR_ENVS) {
  return z.enum(allowed as [TabularEnvId, ...TabularEnvId[]], { error: `must be one of ${allowed.join(', ')}` });
}
