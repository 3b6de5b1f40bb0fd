import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { bindingFor, schemaVersionOf, streamOf, type ContextSources } from './aggregates';
import { PinnedWorkflows } from './pinned-workflows';
import { CommandExecutor, type CommandOutcome } from './command-executor';
import { ExecuteDomainCommand } from './execute-domain-command.command';
import { OrgRelations } from './org-relations';

/** Load → fold → decide → append for any bound aggregate (STYLE.md habit 9). */
@CommandHandler(ExecuteDomainCommand)
export class ExecuteDomainCommandHandler implements ICommandHandler<ExecuteDomainCommand, CommandOutcome> {
  private readonly sources: ContextSources;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly relations: OrgRelations,
    workflows: PinnedWorkflows,
  ) {
    this.sources = {
      load: async (tenantId, streamId, decider) =>
        (await this.executor.load(tenantId, streamId, decider)).state,
      pinned: (tenantId, workflowId, version) => workflows.pinned(tenantId, workflowId, version),
    };
  }

  execute({ command, envelope }: ExecuteDomainCommand): Promise<CommandOutcome> {
    const binding = bindingFor(command.type);
    const data = command.data as Record<string, unknown>;
    const subjectOf = binding.subjectEmployeeOf;
    return this.executor.execute({
      streamId: streamOf(binding, envelope.principal.tenantId, data),
      decider: binding.decider,
      command,
      envelope,
      schemaVersionOf,
      mustExist: !binding.creates.includes(command.type),
      subjectOf: subjectOf ? (state) => subjectOf(state) : undefined,
      extraContext: binding.contextFor
        ? (state) => binding.contextFor!(this.sources, envelope.principal.tenantId, data, state, command.type)
        : undefined,
      relationOf: subjectOf
        ? (state, now) => this.relations.relationOf(envelope.principal, subjectOf(state), now)
        : undefined,
    });
  }
}
