import type { CommandType } from '@verity/domain';
import type { CommandEnvelope } from './command-executor';

/**
 * A validated domain command and its HTTP envelope, sent on the CommandBus. One handler serves every
 * aggregate: it looks up the command's binding (stream, decider, context) in `aggregates.ts`.
 * `decideOnly`: decided as it would be, refused as it would be, nothing appended (a preview: the
 * handler answers with the events it would append, see `DecidedOutcome`).
 */
export class ExecuteDomainCommand {
  constructor(
    readonly command: { type: CommandType; data: unknown },
    readonly envelope: CommandEnvelope,
    readonly decideOnly = false,
  ) {}
}
