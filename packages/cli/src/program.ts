import { Command, CommanderError } from 'commander';
import { dynaQCommand } from './commands/dyna-q.js';
import { mazeCommand } from './commands/maze.js';
import { planCommand } from './commands/plan.js';
import { worldModelCommand } from './commands/world-model.js';
import { processIO, type CliIO } from './io.js';
import { OptionError } from './options.js';
import { trainCommand } from './commands/train.js';
import { simulateCommand } from './commands/simulate.js';
import { stackCommand } from './commands/stack.js';
import { scaleCommand } from './commands/scale.js';

/** The `reverie` command tree. Errors surface as exceptions (exitOverride) so `runCli` maps them to codes. */
export function createProgram(io: CliIO): Command {
  const program = new Command('reverie')
    .description('Reverie: model-based reinforcement learning experiments')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError('(add --help for usage)');
  program.addCommand(dynaQCommand(io));
  program.addCommand(mazeCommand(io));
  program.addCommand(trainCommand(io));
  program.addCommand(worldModelCommand(io));
  program.addCommand(planCommand(io));
  program.addCommand(simulateCommand(io));
  program.addCommand(stackCommand(io));
  program.addCommand(scaleCommand(io));
  // addCommand does not copy settings from the parent; give subcommands the same handling.
  for (const sub of program.commands) {
    sub
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
      .showHelpAfterError('(add --help for usage)');
  }
  return program;
}

/** Exit status for a bad option value. */
export const EXIT_USAGE = 2;

/** Runs `reverie` with user arguments (no node/script prefix) and returns the exit status. */
export async function runCli(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (e instanceof OptionError) {
      io.stderr(`reverie: ${e.message.split('\n').join('\nreverie: ')}\n(add --help for usage)\n`);
      return EXIT_USAGE;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(`reverie: ${err.stack ?? err.message}\n`);
    return 1;
  }
}
