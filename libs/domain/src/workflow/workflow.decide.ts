import { ConflictError, IllegalStateError, NotFoundError, ValidationError } from '../shared/errors';
import type { DomainContext } from '../shared/context';
import { requireRole } from '../shared/authorize';
import { assertNever } from '../shared/messages';
import type { WorkflowCommand } from './workflow.commands';
import type { WorkflowEvent } from './workflow.events';
import type { ScorecardTemplate, WorkflowDefinition } from './workflow-definition.schema';
import {
  parseScorecardTemplate,
  parseWorkflowDefinition,
  type DefinitionResult,
} from './workflow-definition.validate';

/**
 * One stream per workflow (`workflow-<tenant>.<workflowId>`) and one per scorecard template
 * (`scorecard-template-<tenant>.<templateId>`). Published versions are kept whole and never change.
 */
export type Workflow =
  | { status: 'empty' }
  | {
      status: 'active' | 'retired';
      id: string;
      versions: Record<number, WorkflowDefinition>;
      latest: number;
    };

export type ScorecardTemplateState =
  | { status: 'empty' }
  | { status: 'active'; id: string; versions: Record<number, ScorecardTemplate>; latest: number };

export const initialWorkflowState = (): Workflow => ({ status: 'empty' });
export const initialScorecardTemplateState = (): ScorecardTemplateState => ({ status: 'empty' });

const AUTHORS = ['process-owner', 'hr', 'admin'] as const;

/**
 * The number of a version about to be published: one past the latest, which the author may name to
 * refuse a stale edit.
 */
function nextVersion(
  latest: number,
  expected: number | undefined,
  conflictCode: string,
  details?: Record<string, unknown>,
): number {
  if (expected !== undefined && expected !== latest)
    throw new ConflictError(conflictCode, `expected latest version ${expected}, found ${latest}`, details);
  return latest + 1;
}

/** A parsed definition, or the validation error that lists its issues. */
function valid<T>(parsed: DefinitionResult<T>, code: string, what: string): T {
  if (!parsed.ok) throw new ValidationError(code, `${what} is invalid`, parsed.issues);
  return parsed.definition;
}

export function decideWorkflow(
  command: WorkflowCommand,
  state: Workflow,
  ctx: DomainContext,
): WorkflowEvent[] {
  switch (command.type) {
    case 'PublishWorkflowVersion': {
      requireRole(ctx, AUTHORS, 'Publishing a workflow version');
      if (state.status === 'retired')
        throw new IllegalStateError('workflow-retired', `workflow "${state.id}" is retired`);
      const { expectedVersion } = command.data;
      const latest = state.status === 'empty' ? 0 : state.latest;
      const version = nextVersion(latest, expectedVersion, 'workflow-version-conflict', {
        expected: expectedVersion,
        actual: latest,
      });
      const definition = valid(
        parseWorkflowDefinition(command.data.definition),
        'invalid-workflow-definition',
        'the workflow definition',
      );
      return [
        {
          type: 'WorkflowVersionPublished',
          data: { workflowId: command.data.workflowId, version, definition, at: ctx.now },
        },
      ];
    }
    case 'RetireWorkflow': {
      requireRole(ctx, AUTHORS, 'Retiring a workflow');
      if (state.status === 'empty')
        throw new NotFoundError('workflow-not-found', `workflow "${command.data.workflowId}" has no version`);
      if (state.status === 'retired')
        throw new IllegalStateError('workflow-retired', `workflow "${state.id}" is already retired`);
      return [
        {
          type: 'WorkflowRetired',
          data: {
            workflowId: state.id,
            lastVersion: state.latest,
            at: ctx.now,
            pii: { reason: command.data.reason },
          },
        },
      ];
    }
    case 'PublishScorecardTemplateVersion':
      throw new IllegalStateError(
        'wrong-aggregate',
        'PublishScorecardTemplateVersion belongs to the scorecard template aggregate',
      );
    default:
      return assertNever(command);
  }
}

/** A workflow or template with a version published: kept beside the earlier ones, and the latest. */
function withPublished<T>(
  state: { status: 'empty' } | { status: 'active' | 'retired'; versions: Record<number, T> },
  id: string,
  version: number,
  published: T,
) {
  const versions = state.status === 'empty' ? {} : state.versions;
  return { status: 'active' as const, id, versions: { ...versions, [version]: published }, latest: version };
}

export function evolveWorkflow(state: Workflow, event: WorkflowEvent): Workflow {
  switch (event.type) {
    case 'WorkflowVersionPublished':
      return withPublished(state, event.data.workflowId, event.data.version, event.data.definition);
    case 'WorkflowRetired':
      return state.status === 'empty' ? state : { ...state, status: 'retired' };
    case 'ScorecardTemplateVersionPublished':
      return state;
    default:
      return assertNever(event);
  }
}

export function decideScorecardTemplate(
  command: WorkflowCommand,
  state: ScorecardTemplateState,
  ctx: DomainContext,
): WorkflowEvent[] {
  if (command.type !== 'PublishScorecardTemplateVersion')
    throw new IllegalStateError('wrong-aggregate', `${command.type} belongs to the workflow aggregate`);
  requireRole(ctx, AUTHORS, 'Publishing a scorecard template version');
  const { templateId } = command.data;
  const latest = state.status === 'empty' ? 0 : state.latest;
  const version = nextVersion(latest, command.data.expectedVersion, 'template-version-conflict');
  const template = valid(
    parseScorecardTemplate(command.data.template),
    'invalid-scorecard-template',
    'the scorecard template',
  );
  return [
    {
      type: 'ScorecardTemplateVersionPublished',
      data: {
        templateId,
        version,
        template: { ...template, templateId, templateVersion: version },
        at: ctx.now,
      },
    },
  ];
}

export function evolveScorecardTemplate(
  state: ScorecardTemplateState,
  event: WorkflowEvent,
): ScorecardTemplateState {
  if (event.type !== 'ScorecardTemplateVersionPublished') return state;
  return withPublished(state, event.data.templateId, event.data.version, event.data.template);
}

/** A pinned version: what a cycle opened with and what its appraisals are decided under. */
export interface PinnedWorkflow {
  workflowId: string;
  version: number;
  definition: WorkflowDefinition;
}

/** The version a cycle or a migration pins; refuses unknown versions. */
export function pinWorkflowVersion(state: Workflow, version: number): PinnedWorkflow {
  if (state.status === 'empty')
    throw new NotFoundError('workflow-not-found', 'the workflow has no published version');
  const definition = state.versions[version];
  if (!definition)
    throw new NotFoundError('workflow-version-not-found', `workflow "${state.id}" has no version ${version}`);
  return { workflowId: state.id, version, definition };
}
