#!/usr/bin/env node
// The `reverie` executable. Commands live in ./commands; this only wires process I/O and the exit code.
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2));
