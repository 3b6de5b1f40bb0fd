import {
  decideWorkflow,
  evolveScorecardTemplate,
  evolveWorkflow,
  initialScorecardTemplateState,
  initialWorkflowState,
  scorecardTemplateDecider,
  workflowDecider,
  parseWorkflowDefinition,
  pinWorkflowVersion,
  sales4232Workflow,
  type WorkflowDefinition,
  type WorkflowEvent,
} from '../index';
import { NOW, contextFor, specification } from '../testing/specification';

const spec = specification(workflowDecider);
const templates = specification(scorecardTemplateDecider);
const owner = contextFor('process-owner');
const parsed = parseWorkflowDefinition(sales4232Workflow);
const definition = (parsed.ok ? parsed.definition : null) as WorkflowDefinition;
const v1: WorkflowEvent = {
  type: 'WorkflowVersionPublished',
  data: { workflowId: 'sales', version: 1, definition, at: NOW },
};
const publish = (expectedVersion?: number) => ({
  type: 'PublishWorkflowVersion' as const,
  data: {
    workflowId: 'sales',
    definition: sales4232Workflow,
    ...(expectedVersion === undefined ? {} : { expectedVersion }),
  },
});

describe('workflow versions', () => {
  it('publishes version 1, then 2; a version is never overwritten', () => {
    spec.given([]).when(publish(0), owner).then([v1]);
    spec
      .given([v1])
      .when(publish(), owner)
      .thenMatches([{ type: 'WorkflowVersionPublished', data: { version: 2 } }]);
    const state = [
      v1,
      { ...v1, data: { ...v1.data, version: 2, definition: { ...definition, name: 'v2' } } },
    ].reduce(evolveWorkflow, initialWorkflowState());
    expect(pinWorkflowVersion(state, 1).definition.name).toBe(definition.name);
    expect(pinWorkflowVersion(state, 2).definition.name).toBe('v2');
  });

  it('refuses an invalid definition with every issue', () => {
    let caught: unknown;
    try {
      decideWorkflow(
        {
          type: 'PublishWorkflowVersion',
          data: { workflowId: 'sales', definition: { ...sales4232Workflow, grades: [] } },
        },
        initialWorkflowState(),
        owner,
      );
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({
      code: 'invalid-workflow-definition',
      intent: 'validation',
      issues: [{ path: 'grades', rule: 'too_small' }],
    });
  });

  it('refuses a stale expected version, the wrong role, and a retired workflow', () => {
    spec.given([v1]).when(publish(0), owner).thenThrows('workflow-version-conflict', 'conflict');
    spec.given([]).when(publish(), contextFor('employee')).thenThrows('role-not-allowed', 'forbidden');
    const retired: WorkflowEvent = {
      type: 'WorkflowRetired',
      data: { workflowId: 'sales', lastVersion: 1, at: NOW, pii: {} },
    };
    spec.given([v1, retired]).when(publish(), owner).thenThrows('workflow-retired', 'illegal-state');
  });

  it('retires a workflow once', () => {
    const retire = { type: 'RetireWorkflow' as const, data: { workflowId: 'sales', reason: 'replaced' } };
    spec
      .given([v1])
      .when(retire, owner)
      .then([
        {
          type: 'WorkflowRetired',
          data: { workflowId: 'sales', lastVersion: 1, at: NOW, pii: { reason: 'replaced' } },
        },
      ]);
    spec.given([]).when(retire, owner).thenThrows('workflow-not-found', 'not-found');
    spec
      .given([
        v1,
        { type: 'WorkflowRetired', data: { workflowId: 'sales', lastVersion: 1, at: NOW, pii: {} } },
      ])
      .when(retire, owner)
      .thenThrows('workflow-retired');
    spec.given([v1]).when(retire, contextFor('manager')).thenThrows('role-not-allowed', 'forbidden');
  });

  it('pins only published versions', () => {
    expect(() => pinWorkflowVersion(initialWorkflowState(), 1)).toThrow(
      expect.objectContaining({ code: 'workflow-not-found' }),
    );
    expect(() => pinWorkflowVersion(evolveWorkflow(initialWorkflowState(), v1), 7)).toThrow(
      expect.objectContaining({ code: 'workflow-version-not-found' }),
    );
  });

  it('sends template commands to the template aggregate and vice versa', () => {
    const templateCommand = {
      type: 'PublishScorecardTemplateVersion' as const,
      data: { templateId: 't', template: sales4232Workflow.scorecard },
    };
    spec.given([]).when(templateCommand, owner).thenThrows('wrong-aggregate');
    templates.given([]).when(publish(), owner).thenThrows('wrong-aggregate');
    expect(
      evolveWorkflow(initialWorkflowState(), {
        type: 'WorkflowRetired',
        data: { workflowId: 'x', lastVersion: 0, at: NOW, pii: {} },
      }),
    ).toEqual({ status: 'empty' });
  });
});

describe('scorecard template versions', () => {
  const command = (expectedVersion?: number) => ({
    type: 'PublishScorecardTemplateVersion' as const,
    data: {
      templateId: 'sales-kpis',
      template: sales4232Workflow.scorecard,
      ...(expectedVersion === undefined ? {} : { expectedVersion }),
    },
  });
  it('publishes numbered, immutable versions that carry their own id and version', () => {
    const [first] = templates.given([]).when(command(0), owner).events();
    expect(first).toMatchObject({
      type: 'ScorecardTemplateVersionPublished',
      data: { version: 1, template: { templateId: 'sales-kpis', templateVersion: 1 } },
    });
    templates
      .given([first])
      .when(command(), owner)
      .thenMatches([{ data: { version: 2 } }]);
    templates.given([first]).when(command(0), owner).thenThrows('template-version-conflict', 'conflict');
    expect(evolveScorecardTemplate(initialScorecardTemplateState(), v1)).toEqual({ status: 'empty' });
  });
  it('refuses an invalid template and the wrong role', () => {
    templates
      .given([])
      .when(
        {
          type: 'PublishScorecardTemplateVersion',
          data: { templateId: 't', template: { indicators: [], aggregation: { method: 'simple' } } },
        },
        owner,
      )
      .thenThrows('invalid-scorecard-template', 'validation');
    templates.given([]).when(command(), contextFor('auditor')).thenThrows('role-not-allowed', 'forbidden');
  });
});
