import { z } from 'zod';
import {
  commandSchemas,
  eventCatalogue,
  eventSchemas,
  isCommandType,
  isEventType,
  parseCommand,
  parseEvent,
} from './index';

// Property names that hold personal data: they may appear only inside an event's `pii` object.
const personal = new Set([
  'email',
  'comment',
  'reason',
  'text',
  'description',
  'evidence',
  'goal',
  'measures',
  'action',
  'annotations',
  'gapReasons',
  'improvementProposals',
  'supportRequests',
  'correctionReasons',
]);
// Business names (of an organisation, unit, cycle or workflow) are not personal data.
const businessNames = new Set([
  'TenantCreated',
  'OrgUnitCreated',
  'OrgUnitRenamed',
  'CycleOpened',
  'WorkflowVersionPublished',
  'ScorecardTemplateVersionPublished',
]);

function personalFieldsOutsidePii(schema: unknown, path: string, found: string[]): string[] {
  if (!schema || typeof schema !== 'object') return found;
  const node = schema as Record<string, unknown>;
  const properties = (node.properties ?? {}) as Record<string, unknown>;
  for (const [key, child] of Object.entries(properties)) {
    if (key === 'pii') continue;
    if (personal.has(key) || key === 'name') found.push(`${path}.${key}`);
    personalFieldsOutsidePii(child, `${path}.${key}`, found);
  }
  for (const key of ['items', 'anyOf', 'oneOf', 'allOf']) {
    const value = node[key];
    for (const child of Array.isArray(value) ? value : value ? [value] : [])
      personalFieldsOutsidePii(child, path, found);
  }
  return found;
}

describe('the vocabulary registry', () => {
  it('gives every event type a positive version and a schema that exports to JSON Schema', () => {
    for (const [type, entry] of Object.entries(eventSchemas)) {
      expect(entry.version).toBeGreaterThanOrEqual(1);
      const jsonSchema = z.toJSONSchema(entry.schema, { unrepresentable: 'any' });
      expect(jsonSchema).toHaveProperty('type', 'object');
      expect(isEventType(type)).toBe(true);
    }
    expect(isEventType('NoSuchEvent')).toBe(false);
  });

  it('exports every command payload to JSON Schema (as input, for OpenAPI)', () => {
    for (const [type, schema] of Object.entries(commandSchemas)) {
      expect(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })).toHaveProperty(
        'type',
        'object',
      );
      expect(isCommandType(type)).toBe(true);
    }
    expect(isCommandType('Nope')).toBe(false);
  });

  it('keeps personal data only under `pii`', () => {
    const offenders: string[] = [];
    for (const [type, entry] of Object.entries(eventSchemas)) {
      const found = personalFieldsOutsidePii(
        z.toJSONSchema(entry.schema, { unrepresentable: 'any' }),
        type,
        [],
      );
      offenders.push(
        ...found.filter(
          (path) =>
            !(businessNames.has(type) && /\.name$/.test(path)) &&
            !path.includes('.definition.') &&
            !path.includes('.template.'),
        ),
      );
    }
    expect(offenders).toEqual([]);
  });

  it('lists the starter events of DOMAIN.md', () => {
    const starter =
      'TenantCreated OrgUnitCreated OrgUnitRenamed OrgUnitMoved EmployeeHired EmployeeTransferred EmployeeLeft ManagerAssigned ProcessOwnerAssigned WorkflowVersionPublished WorkflowRetired ScorecardTemplateVersionPublished CycleOpened AppraisalOpened CycleClosed PlanSubmitted PlanReturned PlanApproved PlanChangeRequested PlanChangeApproved PeriodReviewFiled PeriodReviewReturned PeriodReviewAssessed PeriodScored ImprovementRequired ImprovementFiled ImprovementVerified VetoBreached VetoWaived RedLineBreached RedLineContested RedLineUpheld RedLineWithdrawn SelfAssessmentSubmitted RatingSubmitted AppraisalScored CalibrationAdjusted AppraisalFinalized AppraisalAcknowledged AppealFiled AppealResolved AnnotationAdded ReminderSent StepEscalated DeadlineMissed';
    expect(starter.split(' ').filter((type) => !isEventType(type))).toEqual([]);
  });
});

describe('parsing commands and events at the boundaries', () => {
  it('parses a command body, applying defaults', () => {
    expect(parseCommand('SubmitPlan', { appraisalId: 'ap-1' })).toEqual({
      type: 'SubmitPlan',
      data: { appraisalId: 'ap-1', targets: [], actions: [] },
    });
  });

  it('names each invalid field of a command', () => {
    expect(() =>
      parseCommand('AssessPeriodReview', {
        appraisalId: 'ap-1',
        periodId: '2026-01',
        corrections: [{ indicatorId: 'x', actual: 1, reason: ' ' }],
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'invalid-command',
        intent: 'validation',
        issues: [expect.objectContaining({ path: 'corrections[0].reason', message: 'a reason is required' })],
      }),
    );
    expect(() => parseCommand('Nope', {})).toThrow(expect.objectContaining({ code: 'command-unknown' }));
  });

  it('parses stored events and refuses malformed ones', () => {
    const data = { appraisalId: 'ap-1', at: '2026-01-05T09:00:00.000Z', planVersion: 1 };
    expect(parseEvent('PlanApproved', data, 'e-1')).toEqual({ type: 'PlanApproved', data, eventId: 'e-1' });
    expect(() => parseEvent('PlanApproved', { ...data, planVersion: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-event' }),
    );
    expect(() => parseEvent('Nope', {})).toThrow(expect.objectContaining({ code: 'event-unknown' }));
  });

  it('publishes a catalogue entry per event type with its version and aggregate', () => {
    const catalogue = eventCatalogue();
    expect(catalogue).toHaveLength(Object.keys(eventSchemas).length);
    expect(catalogue.find((entry) => entry.type === 'PeriodScored')).toMatchObject({
      version: 3,
      aggregate: 'appraisal',
      schema: { type: 'object' },
    });
    expect(catalogue.find((entry) => entry.type === 'ScorecardTemplateVersionPublished')?.aggregate).toBe(
      'scorecard-template',
    );
  });
});
