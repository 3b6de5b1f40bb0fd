import type { CommandType } from '@verity/domain';
import type { CommandEnvelope } from './command-executor';

/**
 * A validated domain command and its HTTP envelope, sent on the CommandBus. One handler serves every
 * aggregate: it looks up the command's binding (stream, decider, context) in `aggregates.ts`.
 */
export class ExecuteDomainCommand {
  constructor(
    readonly command: { type: CommandType; data: unknown },
    readonly envelope: CommandEnvelope,
  ) {}
}
