import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  AGGREGATES,
  decideDirectory,
  evolveDirectory,
  initialDirectoryState,
  isDomainError,
  ValidationError,
  type Directory,
  type DirectoryCommand,
  type DirectoryEvent,
} from '@verity/domain';
import type { DomainContext } from '@verity/domain';
import { streamName } from '@verity/event-store';
import { schemaVersionOf } from '../../commands/aggregates';
import { CommandExecutor, type CommandOutcome } from '../../commands/command-executor';
import { Problem } from '../../errors/problem';
import type { RowIssue } from './import-directory.request';
import { ImportDirectoryCommand } from './import-directory.command';

/**
 * Folds the rows through the directory's decide one by one (as `decideDirectoryBatch` does) but
 * keeps going after a refused row, so the answer lists every row's problem; any problem → nothing
 * is appended. All events go in one append: the import is atomic.
 */
@CommandHandler(ImportDirectoryCommand)
export class ImportDirectoryHandler implements ICommandHandler<ImportDirectoryCommand, CommandOutcome> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ commands, rows, envelope }: ImportDirectoryCommand): Promise<CommandOutcome> {
    const decide = (
      batch: DirectoryCommand[],
      state: Directory,
      context: DomainContext,
    ): DirectoryEvent[] => {
      const events: DirectoryEvent[] = [];
      const issues: RowIssue[] = [];
      let current = state;
      batch.forEach((command, index) => {
        try {
          const produced = decideDirectory(command, current, context);
          current = produced.reduce(evolveDirectory, current);
          events.push(...produced);
        } catch (error) {
          if (!isDomainError(error)) throw error;
          const row = rows[index];
          if (error instanceof ValidationError && error.issues.length > 0) {
            for (const issue of error.issues) issues.push({ row, ...issue });
          } else {
            issues.push({ row, path: '(row)', rule: error.code, message: error.message });
          }
        }
      });
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
      schemaVersionOf,
      mustExist: true,
    });
  }
}
