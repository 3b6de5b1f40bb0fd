import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AGGREGATES } from '@verity/domain';
import { streamName } from '@verity/event-store';
import { CommandExecutor, type CommandOutcome } from '../../commands/command-executor';
import { Problem } from '../../errors/problem';
import { ImportDirectoryCommand } from './import-directory.command';
import { importDecider } from './import-rows';

/** Every row decided (each problem named); any problem → nothing is appended. All events go in one append: the import is atomic. */
@CommandHandler(ImportDirectoryCommand)
export class ImportDirectoryHandler implements ICommandHandler<ImportDirectoryCommand, CommandOutcome> {
  constructor(private readonly executor: CommandExecutor) {}

  execute({ commands, rows, envelope }: ImportDirectoryCommand): Promise<CommandOutcome> {
    return this.executor.execute({
      streamId: streamName(AGGREGATES.directory, envelope.principal.tenantId, envelope.principal.tenantId),
      decider: importDecider(rows, (issues) => {
        if (issues.length > 0)
          throw new Problem(
            422,
            'import-rejected',
            `${issues.length} problem(s) in the import; nothing was imported.`,
            {
              errors: issues.slice(0, 200),
            },
          );
      }),
      command: commands,
      envelope,
      mustExist: true,
    });
  }
}
