import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  AGGREGATES,
  evolveDirectory,
  initialDirectoryState,
  type Directory,
  type DirectoryCommand,
  type DirectoryEvent,
} from '@verity/domain';
import type { DomainContext } from '@verity/domain';
import { streamName } from '@verity/event-store';
import { CommandExecutor, type CommandOutcome } from '../../commands/command-executor';
import { Problem } from '../../errors/problem';
import { ImportDirectoryCommand } from './import-directory.command';
import { decideImportRows } from './import-rows';

/** Every row decided (each problem named); any problem → nothing is appended. All events go in one append: the import is atomic. */
@CommandHandler(ImportDirectoryCommand)
export class ImportDirectoryHandler implements ICommandHandler<ImportDirectoryCommand, CommandOutcome> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ commands, rows, envelope }: ImportDirectoryCommand): Promise<CommandOutcome> {
    const decide = (
      batch: DirectoryCommand[],
      state: Directory,
      context: DomainContext,
    ): DirectoryEvent[] => {
      const { events, issues } = decideImportRows(batch, rows, state, context);
      if (issues.length > 0) {
        throw new Problem(
          422,
          'import-rejected',
          `${issues.length} problem(s) in the import; nothing was imported.`,
          {
            errors: issues.slice(0, 200),
          },
        );
      }
      return events;
    };
    return this.executor.execute({
      streamId: streamName(AGGREGATES.directory, envelope.principal.tenantId, envelope.principal.tenantId),
      decider: { decide, evolve: evolveDirectory, initialState: initialDirectoryState },
      command: commands,
      envelope,
      mustExist: true,
    });
  }
}
