import { describe, expect, it } from 'vitest';
import { decodePolicy } from '@reverie/policy';
import { DynaQ, qTablePolicyWeights, runEpisodes } from '@reverie/tabular';
import { DYNA_MAZE, GridMaze } from './mazes.js';

describe('qTablePolicyWeights', () => {
  it("gives a q-table policy that is greedy on the learner's table, lowest index on ties", () => {
    const agent = new DynaQ({ numStates: 54, numActions: 4, planningSteps: 20, seed: 0 });
    runEpisodes(new GridMaze(DYNA_MAZE), agent, { episodes: 10, seed: 0 });

    const policy = decodePolicy(qTablePolicyWeights(agent, { 'reverie.env': 'dyna-maze' }));
    expect(policy.spec).toEqual({ kind: 'q-table', numStates: 54, numActions: 4, metadata: { 'reverie.env': 'dyna-maze' } });
    const states = Float32Array.from({ length: 54 }, (_, s) => s);
    const actions = new Int32Array(54);
    const values = new Float32Array(54);
    policy.act(states, 54, actions, { values });
    let learnedRows = 0;
    for (let s = 0; s < 54; s++) {
      const row = Array.from(agent.q.subarray(s * 4, s * 4 + 4));
      const best = Math.max(...row);
      if (row.some((v) => v !== best)) learnedRows++;
      expect(actions[s]).toBe(row.indexOf(best));
      expect(values[s]).toBeCloseTo(best, 6);
    }
    // Most rows must carry learned, distinct values, or the check above would only test ties.
    expect(learnedRows).toBeGreaterThan(20);
  });
});
