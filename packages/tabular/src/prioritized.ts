import { requireCount, requireNonNegativeFinite } from './errors.js';
import { IndexedMaxHeap } from './heap.js';
import { TabularLearner, type LearnerOptions } from './learner.js';
import { TabularModel } from './model.js';
import { PredecessorLists } from './predecessors.js';

export interface PrioritizedSweepingOptions extends LearnerOptions {
  /** Maximum queue pops (Q-updates) per real step, at least 1. Default 5. */
  planningSteps?: number;
  /** A pair is queued only if its |TD error| exceeds theta. Default 1e-4. */
  theta?: number;
}

/**
 * Prioritized sweeping for a deterministic environment (S&B section 8.4 box). A real transition
 * is only queued by its |TD error|; all Q-updates, the real pair's included, happen when pairs
 * are popped, and each update queues the predecessors of the updated state whose error exceeds theta.
 */
export class PrioritizedSweeping extends TabularLearner {
  readonly planningSteps: number;
  readonly theta: number;
  readonly model: TabularModel;
  readonly queue: IndexedMaxHeap;
  readonly predecessors: PredecessorLists;

  constructor(options: PrioritizedSweepingOptions) {
    super(new.target.name, options);
    // n = 0 would never update Q: every update of this algorithm goes through the queue.
    this.planningSteps = requireCount(this.owner, 'planningSteps', options.planningSteps ?? 5);
    this.theta = requireNonNegativeFinite(this.owner, 'theta', options.theta ?? 1e-4);
    this.model = new TabularModel(this.numStates, this.numActions);
    this.queue = new IndexedMaxHeap(this.numStates * this.numActions);
    this.predecessors = new PredecessorLists(this.numStates, this.numStates * this.numActions);
  }

  observe(s: number, a: number, r: number, s2: number, terminated: boolean): void {
    const sa = this.checkTransition(s, a, r, s2);
    this.model.record(sa, r, s2, terminated);
    this.predecessors.link(sa, s2);
    this.enqueue(sa, Math.abs(this.tdError(sa, r, s2, terminated)));
    this.plan(this.planningSteps);
  }

  /** Pops and updates up to n pairs, queueing the predecessors of each updated state. */
  plan(n: number): number {
    this.checkPlanSteps(n);
    const m = this.model;
    const reward = m.reward;
    const next = m.next;
    const terminal = m.terminal;
    const after = this.predecessors.after;
    const head = this.predecessors.head;
    const nA = this.numActions;
    let done = 0;
    while (done < n && this.queue.size > 0) {
      const k = this.queue.pop();
      this.backup(k, reward[k], next[k], terminal[k] === 1);
      done++;
      const s = (k / nA) | 0;
      for (let p = head[s]; p !== -1; p = after[p]) {
        this.enqueue(p, Math.abs(this.tdError(p, reward[p], s, terminal[p] === 1)));
      }
    }
    return done;
  }

  private enqueue(key: number, priority: number): void {
    if (priority > this.theta) this.queue.push(key, priority);
  }
}
