import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { bindingFor, streamOf, type ContextSources } from './aggregates';
import { PinnedWorkflows } from '../workflows/pinned-workflows';
import { CommandExecutor, type CommandOutcome } from './command-executor';
import { ExecuteDomainCommand } from './execute-domain-command.command';
import { OrgRelations } from '../directory/org-relations';

/** What a command sent with `decideOnly` would append: its events, not stored, at the revision read. */
export interface DecidedOutcome {
  streamId: string;
  revision: bigint | null;
  events: { type: string; data: unknown }[];
}

/** Load → fold → decide → append for any bound aggregate (STYLE.md habit 9). */
import { StreamLoader } from '../event-store/stream-loader';

@CommandHandler(ExecuteDomainCommand)
export class ExecuteDomainCommandHandler implements ICommandHandler<
  ExecuteDomainCommand,
  CommandOutcome | DecidedOutcome
> {
  private readonly sources: ContextSources;

  constructor(
    private readonly executor: CommandExecutor,
    private readonly relations: OrgRelations,
    workflows: PinnedWorkflows,
    loader: StreamLoader,
  ) {
    this.sources = {
      load: async (tenantId, streamId, decider) => (await loader.load(tenantId, streamId, decider)).state,
      pinned: (tenantId, workflowId, version) => workflows.pinned(tenantId, workflowId, version),
    };
  }

  async execute({
    command,
    envelope,
    decideOnly,
  }: ExecuteDomainCommand): Promise<CommandOutcome | DecidedOutcome> {
    const binding = bindingFor(command.type);
    const data = command.data as Record<string, unknown>;
    const subjectOf = binding.subjectEmployeeOf;
    const execution = {
      streamId: streamOf(binding, envelope.principal.tenantId, data),
      decider: binding.decider,
      command,
      envelope,
      mustExist: !binding.creates.includes(command.type),
      subjectOf: subjectOf ? (state: unknown) => subjectOf(state) : undefined,
      extraContext: binding.contextFor
        ? (state: unknown) =>
            binding.contextFor!(this.sources, envelope.principal.tenantId, data, state, command.type)
        : undefined,
      relationOf: subjectOf
        ? (state: unknown, now: string) => {
            // An org unit's appraisal: its head acts for it, the parent unit's head assesses it.
            const unit = binding.subjectUnitOf?.(state) ?? null;
            return unit === null
              ? this.relations.relationOf(envelope.principal, subjectOf(state), now)
              : this.relations.relationToUnit(envelope.principal, unit, now);
          }
        : undefined,
    };
    if (!decideOnly) return this.executor.execute(execution);
    const decided = await this.executor.decideOnly(execution);
    return {
      streamId: execution.streamId,
      revision: decided.revision,
      events: decided.events.map((event) => ({ type: event.type, data: event.data })),
    };
  }
}
