// Commands beyond check and inspect, each in its own module, loaded only when named on the command
// line (start-up stays small). A command module exports `run(argv, io)` returning an exit code.
import type { ExitCode, Io } from '../main.ts';

export interface CommandModule {
  run(argv: string[], io: Io): Promise<ExitCode>;
}

export interface CommandEntry {
  /** One line for the top-level --help. */
  summary: string;
  load: () => Promise<CommandModule>;
}

export const COMMAND_TABLE: Record<string, CommandEntry> = {
  index: { summary: 'learn which functions of a checkout can fail and how (a knowledge base for --kb)', load: () => import('./index-cmd.ts') },
  eval: { summary: "measure the review on a labelled corpus or on a project's recent git history", load: () => import('./eval.ts') },
  bot: { summary: "answer a mailing list's patches inline, threaded, once (patch-review bot --help)", load: () => import('./bot.ts') },
};
