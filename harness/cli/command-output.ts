import type { Command } from 'commander';

export interface CommandOutput {
  out(text: string): void;
  err(text: string): void;
  /** The terminal's width when stdout is a terminal; undefined when it is a pipe or a file. */
  width: number | undefined;
}

/**
 * Where a command writes: the program's output configuration (commander's `configureOutput`),
 * so that tests capture it the way they capture commander's own help and errors.
 */
export function commandOutput(command: Command): CommandOutput {
  let root = command;
  while (root.parent) root = root.parent;
  const config = root.configureOutput();
  return {
    out: (text) => (config.writeOut ?? ((t: string) => process.stdout.write(t)))(text),
    err: (text) => (config.writeErr ?? ((t: string) => process.stderr.write(t)))(text),
    // Commander's default answers the terminal's columns, and undefined off a terminal (its typings say number).
    width: config.getOutHelpWidth?.() as number | undefined,
  };
}
