import { describe, expect, it } from 'vitest';
import { npRandom } from '@reverie/core';
import { IndexedMaxHeap, PredecessorLists, PrioritizedSweeping } from '@reverie/tabular';

describe('IndexedMaxHeap', () => {
  it('pops in non-increasing priority order', () => {
    const { rng } = npRandom(1);
    const heap = new IndexedMaxHeap(500);
    const prio = new Map<number, number>();
    for (let i = 0; i < 2000; i++) {
      const key = rng.integers(0, 500);
      const p = rng.random();
      heap.push(key, p);
      prio.set(key, Math.max(prio.get(key) ?? -Infinity, p));
    }
    expect(heap.size).toBe(prio.size);
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop());
    expect(new Set(popped).size).toBe(popped.length);
    const ps = popped.map((k) => prio.get(k) ?? NaN);
    for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeLessThanOrEqual(ps[i - 1]);
    expect(heap.pop()).toBe(-1);
  });

  it('raises an existing entry instead of duplicating it, and never lowers it', () => {
    const heap = new IndexedMaxHeap(10);
    heap.push(3, 1);
    heap.push(4, 2);
    heap.push(5, 3);
    heap.push(3, 5);
    expect(heap.size).toBe(3);
    expect(heap.priority(3)).toBe(5);
    heap.push(5, 0.5);
    expect(heap.priority(5)).toBe(3);
    expect([heap.pop(), heap.pop(), heap.pop()]).toEqual([3, 5, 4]);
    expect(heap.has(3)).toBe(false);
  });
});

describe('PredecessorLists', () => {
  it('holds each key once, in the list of its current next state', () => {
    const lists = new PredecessorLists(4, 8);
    lists.link(1, 2);
    lists.link(5, 2);
    lists.link(1, 2); // repeated transition: no duplicate
    expect(lists.of(2).sort()).toEqual([1, 5]);
    lists.link(1, 3); // the model of key 1 changed
    expect(lists.of(2)).toEqual([5]);
    expect(lists.of(3)).toEqual([1]);
    lists.link(5, 0);
    expect(lists.of(2)).toEqual([]);
  });

  it('prioritized sweeping keeps them in step with its model', () => {
    const agent = new PrioritizedSweeping({ numStates: 3, numActions: 2, seed: 0 });
    agent.observe(0, 0, 0, 1, false);
    agent.observe(0, 1, 0, 1, false);
    agent.observe(0, 0, 0, 1, false);
    agent.observe(2, 1, 0, 1, false);
    expect(agent.predecessors.of(1).sort((a, b) => a - b)).toEqual([0, 1, 5]);
    agent.observe(0, 0, 0, 2, false);
    expect(agent.predecessors.of(1).sort((a, b) => a - b)).toEqual([1, 5]);
    expect(agent.predecessors.of(2)).toEqual([0]);
  });
});
