import type { DirectoryCommand } from '@verity/domain';
import type { CommandEnvelope } from '../../commands/command-executor';

/** Many directory commands applied together: all of them, or none. */
export class ImportDirectoryCommand {
  constructor(
    readonly commands: DirectoryCommand[],
    readonly rows: number[],
    readonly envelope: CommandEnvelope,
  ) {}
}
