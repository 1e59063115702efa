/**
 * Starts processes in stages and stops them in reverse stage order (members of one stage together),
 * each with a timeout. Restarts nothing: an unexpected exit is reported and the others keep running.
 */
import { describeExit, ManagedChild, type ChildSpec, type ExitInfo, type LogSink } from './child.js';

/** Something the supervisor stops: a child it spawned, or a process started another way (nats-server). */
export interface Stoppable {
  readonly name: string;
  /** Stops gracefully within `timeoutMs`, then forcibly; resolves with how it ended, in words. */
  stop(timeoutMs: number): Promise<string>;
  /** Ends it at once with SIGKILL, without waiting (the supervisor's own process is going away). */
  kill(): void;
}

export interface StopOutcome {
  name: string;
  stage: number;
  /** e.g. "code 0", "signal SIGTERM", "code null, killed after 5000 ms". */
  how: string;
}

export interface SupervisorOptions {
  log: LogSink;
  /** A child that had printed READY exited without being asked to. */
  onUnexpectedExit(name: string, exit: ExitInfo): void;
}

interface Member {
  stage: number;
  member: Stoppable;
}

export class Supervisor {
  private readonly members: Member[] = [];
  private stopped = false;

  constructor(private readonly options: SupervisorOptions) {}

  /** Spawns a child in `stage` (higher stages stop first). Await its `ready` for the READY payload. */
  spawn(spec: ChildSpec, stage: number): ManagedChild {
    if (this.stopped) throw new Error(`cannot start ${spec.name}: the supervisor is stopping`);
    const child = new ManagedChild(spec, this.options.log);
    this.members.push({
      stage,
      member: {
        name: child.name,
        stop: async (timeoutMs) => {
          const r = await child.stop(timeoutMs);
          return r.killed ? `${describeExit(r)}, killed after ${timeoutMs} ms` : describeExit(r);
        },
        kill: () => child.killNow(),
      },
    });
    // Exits before READY surface through `ready`; after it, only an exit nobody asked for is news.
    void child.ready.then(
      async () => {
        const exit = await child.exited;
        if (!child.stopping) this.options.onUnexpectedExit(child.name, exit);
      },
      () => undefined,
    );
    return child;
  }

  /** Registers a process started elsewhere, so that stopAll stops it in its stage (at once if stopAll already ran). */
  add(member: Stoppable, stage: number, timeoutMs = 5000): void {
    if (this.stopped) void member.stop(timeoutMs).catch(() => member.kill());
    else this.members.push({ stage, member });
  }

  /** Stops every member, highest stage first; the members of one stage stop concurrently. */
  async stopAll(timeoutMs: number): Promise<StopOutcome[]> {
    this.stopped = true;
    const stages = [...new Set(this.members.map((m) => m.stage))].sort((a, b) => b - a);
    const outcomes: StopOutcome[] = [];
    for (const stage of stages) {
      const group = this.members.filter((m) => m.stage === stage);
      const results = await Promise.all(
        group.map(async ({ member }) => {
          try {
            return { name: member.name, stage, how: await member.stop(timeoutMs) };
          } catch (e) {
            return { name: member.name, stage, how: `failed to stop: ${(e as Error).message}` };
          }
        }),
      );
      outcomes.push(...results);
    }
    return outcomes;
  }

  /** SIGKILLs every member at once (when the supervisor's own process is exiting). */
  killAll(): void {
    for (const { member } of this.members) member.kill();
  }
}
