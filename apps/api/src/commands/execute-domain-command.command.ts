import type { CommandType } from '@verity/domain';
import type { CommandEnvelope } from './command-executor';

/** A validated domain command and its HTTP envelope, sent on the CommandBus (one handler per aggregate family). */
export class ExecuteDomainCommand {
  constructor(
    readonly command: { type: CommandType; data: unknown },
    readonly envelope: CommandEnvelope,
  ) {}
}
