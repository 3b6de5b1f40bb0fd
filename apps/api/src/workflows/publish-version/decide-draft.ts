import type { CommandBus } from '@nestjs/cqrs';
import type { WorkflowDefinition } from '@verity/domain';
import type { Principal } from '../../auth/principal';
import { correlationIdOf, parseCommand } from '../../commands/command-routes';
import { ExecuteDomainCommand } from '../../commands/execute-domain-command.command';
import type { DecidedOutcome } from '../../commands/execute-domain-command.handler';

/**
 * A draft workflow version decided exactly as publishing it would be (`decideOnly`, ADR 0101: the
 * same 400/422 with each problem's path), nothing appended. The preview and the what-if both start
 * here, so a draft they accept is one publishing accepts.
 */
export async function decideDraftVersion(
  bus: CommandBus,
  principal: Principal,
  headers: Record<string, string | undefined>,
  input: { workflowId: string; definition: unknown; expectedVersion?: number },
): Promise<{
  outcome: DecidedOutcome;
  /** The version as the domain would store it (defaults filled in); absent when nothing would be published. */
  draft: { version: number; definition: WorkflowDefinition } | undefined;
}> {
  const data = parseCommand('PublishWorkflowVersion', input);
  const outcome: DecidedOutcome = await bus.execute(
    new ExecuteDomainCommand(
      { type: 'PublishWorkflowVersion', data },
      { principal, correlationId: correlationIdOf(headers) },
      true,
    ),
  );
  const draft = outcome.events.find((event) => event.type === 'WorkflowVersionPublished')?.data as
    { version: number; definition: WorkflowDefinition } | undefined;
  return { outcome, draft };
}
