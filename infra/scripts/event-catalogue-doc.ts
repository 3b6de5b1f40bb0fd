/**
 * `npm run docs:events`: writes docs/events.md, the event catalogue for integrators, from the
 * domain's zod registry (libs/domain/src/registry.ts). Field types come from the same JSON Schema
 * `GET /events/schemas` serves; meanings come from the doc comments in the `*.events.ts` files, or
 * from `DESCRIPTIONS` below where an event has none. test/architecture/docs-events.unit.spec.ts
 * fails when docs/events.md differs from what this script writes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { AGGREGATES, eventAggregate, eventSchemas, isEventType } from '@verity/domain';
import { eventCatalogueWithVersions, type CatalogueEntry } from '@verity/integrations/event-versions';

const ROOT = path.resolve(__dirname, '../..');
export const EVENTS_DOC = path.join(ROOT, 'docs/events.md');

/** Where the event schemas and the shapes they use are declared (doc comments are read from here). */
const SOURCES = [
  'libs/domain/src/shared/primitives.ts',
  'libs/domain/src/workflow/workflow-definition.schema.ts',
  'libs/domain/src/directory/directory.events.ts',
  'libs/domain/src/workflow/workflow.events.ts',
  'libs/domain/src/cycle/cycle.events.ts',
  'libs/domain/src/appraisal/events/shapes.ts',
  'libs/domain/src/appraisal/events/steps.events.ts',
  'libs/domain/src/appraisal/events/plan-and-periods.events.ts',
  'libs/domain/src/appraisal/events/red-lines.events.ts',
  'libs/domain/src/appraisal/events/ratings.events.ts',
  'libs/domain/src/appraisal/events/year-end.events.ts',
  'libs/domain/src/appraisal/events/actuals.events.ts',
  'libs/domain/src/appraisal/events/timers.events.ts',
  'libs/domain/src/appraisal/appraisal.events.ts',
  'libs/domain/src/audit/audit.events.ts',
  'libs/domain/src/operations/operations.events.ts',
  'libs/domain/src/target-tree/target-tree.events.ts',
  'libs/domain/src/weekly-plan/iso-week.ts',
  'libs/domain/src/weekly-plan/weekly-plan.events.ts',
  'libs/domain/src/daily-plan/daily-plan.events.ts',
];

/** What an event means, one line, where its doc comment does not say it (the comment is shown too). */
const DESCRIPTIONS: Record<string, string> = {
  AuditCheckpointSigned:
    "The Merkle tree over the tenant's log was signed at this size: see [audit-proofs.md](audit-proofs.md).",
  TenantCreated: 'An organisation was set up; its directory stream starts here.',
  OrgUnitCreated: 'An org unit (HQ, branch, department or team) was added to the tree.',
  OrgUnitRenamed: 'An org unit got a new name from `effectiveFrom`.',
  OrgUnitMoved: 'An org unit moved under another parent from `effectiveFrom`.',
  EmployeeHired: 'A person joined a unit, with a manager and a position.',
  EmployeeTransferred: 'A person moved to another unit from `effectiveFrom`.',
  EmployeeLeft: 'A person left the organisation on `effectiveFrom`.',
  ManagerAssigned: 'A person got a new manager from `effectiveFrom`.',
  ProcessOwnerAssigned:
    'A person became the owner of a process (a workflow or a step kind), optionally for one unit.',
  HrPartnerAssigned:
    "A person became the HR partner of a unit (or of all units): HR's escalations and vacancies reach them.",
  WorkflowVersionPublished: 'A process owner or HR published a new version of a workflow definition.',
  WorkflowRetired:
    'No new cycle may pin the workflow; appraisals already running continue on their versions.',
  ScorecardTemplateVersionPublished:
    'A scorecard template version was published (immutable, counted from 1).',
  CycleOpened: 'A cycle opened on a pinned workflow version, with its periods and one appraisal per subject.',
  CycleClosed: 'The cycle was closed.',
  AppraisalOpened: "An appraisal started for one subject of a cycle, pinned to the cycle's workflow version.",
  StepCompleted: 'A step occurrence was done; `late` when after its due time.',
  PlanSubmitted: 'The appraisee submitted a plan version: targets per indicator and key actions.',
  PlanReturned: 'The manager sent the plan back with annotations.',
  PlanApproved: 'The manager approved the plan version; it changes only through an approved plan change.',
  PlanChangeRequested: 'A change to the approved plan was requested, with its reason.',
  PlanChangeApproved: 'The requested plan change was approved and became a new plan version.',
  PlanChangeRejected: 'The requested plan change was rejected, with a reason.',
  PeriodReviewFiled: "The appraisee filed a period's actuals, evidence references, gap reasons and requests.",
  PeriodReviewReturned: 'The manager sent the period review back with annotations.',
  PeriodReviewAssessed:
    'The manager accepted the period review, possibly correcting actuals (each with a reason).',
  ImprovementRequired: 'An indicator scored below target: an improvement action is due.',
  ImprovementFiled: 'The appraisee filed the improvement action.',
  ImprovementVerified: 'The manager verified the improvement at the next review (effective or not).',
  VetoBreached: "A key strategic indicator fell past its veto line; the period's bonus effect applies.",
  VetoWaived: 'HR waived a veto breach for the period, with a reason.',
  RedLineBreached: 'HR filed a red-line breach with evidence; its effect applies to the annual result.',
  RedLineContested: 'The appraisee contested a red-line breach.',
  RedLineUpheld: 'HR upheld a contested red-line breach.',
  RedLineWithdrawn: 'HR withdrew a red-line breach; it stays in the trail but no longer applies.',
  SelfAssessmentSubmitted: 'The appraisee submitted the annual self-assessment rating.',
  RatingSubmitted: 'A rater of one rater group (manager, peer, skip-level, expert) rated the appraisee.',
  AppraisalScored: "The annual score per the workflow's formula, with rater groups and red lines applied.",
  CalibrationAdjusted: 'Calibration changed the score or grade, with a reason.',
  AppraisalFinalized: 'The result was finalized and handed to the appraisee.',
  AppraisalAcknowledged: 'The appraisee acknowledged the final result.',
  AppealFiled: 'The appraisee appealed the final result.',
  AppealResolved: 'HR resolved the appeal: upheld with a new result, or rejected.',
  PeriodWaived:
    'HR excused a period from the year (leave, a late join), with a reason; the annual score skips it and lists it in `periodsWaived`.',
  RaterNominated:
    'Someone was nominated to rate the appraisee in the 360: proposed by the appraisee, or assigned (approved at once) by HR.',
  NominationApproved: "The appraisee's manager (or HR) approved a proposed rater; the nominee may now rate.",
  NominationRejected: "The appraisee's manager (or HR) rejected a proposed rater, with a reason.",
  AnnotationAdded: 'Someone annotated the appraisal (a step, a period or an indicator).',
  ReminderSent: "A step's reminder fired while the step was still open.",
  StepEscalated:
    "An open step passed its due time plus an escalation level's delay and went to the next person.",
  AppraisalMigrated: 'HR moved the appraisal to a newer version of its workflow.',
};

/** Stream ids per aggregate category (`streamName(category, tenant, id)`). */
const STREAMS: Record<string, string> = {
  directory: '`directory-<tenantId>.<tenantId>` (one per tenant)',
  workflow: '`workflow-<tenantId>.<workflowId>`',
  'scorecard-template': '`scorecard-template-<tenantId>.<templateId>`',
  cycle: '`cycle-<tenantId>.<cycleId>`',
  appraisal: '`appraisal-<tenantId>.<appraisalId>`',
  audit: '`audit-<tenantId>.checkpoints` (one per tenant)',
  operations: '`operations-<tenantId>.<consumer>` (written by `npm run parked`)',
};

/** Fields documented elsewhere instead of expanded here. */
const SUMMARISED: Record<string, string> = {
  'WorkflowVersionPublished.definition':
    'the validated workflow definition, defaults applied: see [workflow-definition.md](workflow-definition.md)',
  'ScorecardTemplateVersionPublished.template':
    'the validated scorecard (`indicators`, `aggregation`): see [workflow-definition.md](workflow-definition.md#scorecard)',
};

// ---- doc comments from the TypeScript source ----

interface SourceIndex {
  /** Top-level `const` initialisers by name, across SOURCES. */
  consts: Map<string, ts.Expression>;
  /** The registry entries (`{ version, schema }`) by event type, with their doc comments. */
  entries: Map<string, { schema: ts.Expression | undefined; comment: string | null }>;
  file: Map<ts.Node, ts.SourceFile>;
}

function commentOf(node: ts.Node, source: ts.SourceFile): string | null {
  const ranges = ts.getLeadingCommentRanges(source.text, node.getFullStart()) ?? [];
  const text = ranges
    .map((range) => source.text.slice(range.pos, range.end))
    .map((raw) =>
      raw
        .replace(/^\/\*\*?|\*\/$/g, '')
        .split('\n')
        .map((line) => line.replace(/^\s*(\*|\/\/)\s?/, '').trim())
        .join(' '),
    )
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? null : text;
}

function unwrap(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    ts.isAsExpression(current) ||
    ts.isSatisfiesExpression(current) ||
    ts.isParenthesizedExpression(current)
  )
    current = current.expression;
  return current;
}

function indexSources(): SourceIndex {
  const index: SourceIndex = { consts: new Map(), entries: new Map(), file: new Map() };
  for (const relative of SOURCES) {
    const text = readFileSync(path.join(ROOT, relative), 'utf8');
    const source = ts.createSourceFile(relative, text, ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!ts.isVariableStatement(statement)) continue;
      for (const declaration of statement.declarationList.declarations) {
        if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
        const initializer = unwrap(declaration.initializer);
        index.consts.set(declaration.name.text, initializer);
        index.file.set(initializer, source);
        if (!declaration.name.text.endsWith('EventSchemas') || !ts.isObjectLiteralExpression(initializer))
          continue;
        for (const property of initializer.properties) {
          if (!ts.isPropertyAssignment(property) || !ts.isIdentifier(property.name)) continue;
          const entry = unwrap(property.initializer);
          const schema = ts.isObjectLiteralExpression(entry)
            ? entry.properties.find(
                (p): p is ts.PropertyAssignment =>
                  ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'schema',
              )?.initializer
            : undefined;
          if (schema) index.file.set(schema, source);
          index.entries.set(property.name.text, { schema, comment: commentOf(property, source) });
        }
      }
    }
  }
  return index;
}

/** Doc comments of an event's fields by path (`pii.reason`, `targets[].parent`), following shared shapes. */
function fieldComments(
  index: SourceIndex,
  schema: ts.Expression,
  source: ts.SourceFile,
): Map<string, string> {
  const comments = new Map<string, string>();
  const seen = new Set<ts.Node>();
  const resolve = (name: string) => {
    const found = index.consts.get(name);
    return found ? { expression: found, source: index.file.get(found) ?? source } : undefined;
  };
  const fromProperties = (
    properties: ts.NodeArray<ts.ObjectLiteralElementLike>,
    prefix: string,
    file: ts.SourceFile,
  ) => {
    for (const property of properties) {
      if (ts.isSpreadAssignment(property) && ts.isIdentifier(property.expression)) {
        const spread = resolve(property.expression.text);
        if (spread && ts.isObjectLiteralExpression(spread.expression))
          fromProperties(spread.expression.properties, prefix, spread.source);
      } else if (
        ts.isPropertyAssignment(property) &&
        (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))
      ) {
        const at = `${prefix}${property.name.text}`;
        const comment = commentOf(property, file);
        if (comment && !comments.has(at)) comments.set(at, comment);
        walk(property.initializer, at, file);
      }
    }
  };
  const walk = (node: ts.Expression, at: string, file: ts.SourceFile): void => {
    const expression = unwrap(node);
    if (ts.isIdentifier(expression)) {
      const target = resolve(expression.text);
      if (!target || seen.has(target.expression)) return;
      seen.add(target.expression);
      walk(target.expression, at, target.source);
      seen.delete(target.expression);
      return;
    }
    if (!ts.isCallExpression(expression) || !ts.isPropertyAccessExpression(expression.expression)) return;
    const method = expression.expression.name.text;
    const receiver = expression.expression.expression;
    const isZ = ts.isIdentifier(receiver) && receiver.text === 'z';
    const [first, second] = expression.arguments;
    if (
      isZ &&
      (method === 'object' || method === 'strictObject') &&
      first &&
      ts.isObjectLiteralExpression(first)
    )
      fromProperties(first.properties, at === '' ? '' : `${at}.`, file);
    else if (isZ && method === 'array' && first) walk(first, `${at}[]`, file);
    else if (isZ && (method === 'union' || method === 'discriminatedUnion')) {
      const options = method === 'union' ? first : second;
      if (options && ts.isArrayLiteralExpression(options))
        for (const option of options.elements) walk(option, at, file);
    } else if (!isZ) walk(receiver, at, file); // `.nullable()`, `.optional()`, `.default(…)`, `.min(…)`
  };
  walk(schema, '', source);
  return comments;
}

// ---- field types from the JSON Schema ----

interface JsonSchema {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

const PATTERNS: Record<string, string> = {
  '^-?\\d+(\\.\\d+)?$': 'decimal string',
  '^[A-Za-z0-9][A-Za-z0-9._-]*$': 'id',
  '^[A-Za-z_][A-Za-z0-9_]*$': 'slug',
};

const isNull = (schema: JsonSchema) => schema.type === 'null';
const optionsOf = (schema: JsonSchema) => schema.anyOf ?? schema.oneOf ?? null;
const isObjectLike = (schema: JsonSchema): boolean =>
  schema.type === 'object' ||
  (optionsOf(schema)
    ?.filter((o) => !isNull(o))
    .every(isObjectLike) ??
    false);

function typeOf(schema: JsonSchema): string {
  const options = optionsOf(schema);
  if (options) {
    const shown = options.filter((o) => !isNull(o));
    const nullable = shown.length < options.length;
    const kinds =
      shown.length > 1 && shown.every((o) => o.type === 'object')
        ? 'object, one of'
        : [...new Set(shown.map(typeOf))].join(' | ');
    return nullable ? `${kinds} | null` : kinds;
  }
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' | ');
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return 'date-time';
      if (schema.format) return schema.format;
      return (schema.pattern && PATTERNS[schema.pattern]) || 'string';
    case 'integer':
      if (schema.exclusiveMinimum === 0) return 'integer ≥ 1';
      if (schema.minimum === 0) return 'integer ≥ 0';
      return 'integer';
    case 'array':
      return schema.items ? `${typeOf(schema.items).replace(/ \| /g, ' or ')}[]` : 'array';
    case undefined:
      return 'any';
    default:
      return Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type);
  }
}

interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  note: string;
}

function fieldRows(
  type: string,
  schema: JsonSchema,
  comments: Map<string, string>,
  prefix = '',
  rows: FieldRow[] = [],
): FieldRow[] {
  const objects = (optionsOf(schema) ?? [schema]).filter((o) => !isNull(o));
  // Fields of every alternative, each once; required only when every alternative requires it.
  const properties = new Map<string, { schema: JsonSchema; required: boolean; values: unknown[] }>();
  for (const object of objects)
    for (const [name, child] of Object.entries(object.properties ?? {})) {
      if (!properties.has(name))
        properties.set(name, {
          schema: child,
          required: objects.every((o) => (o.required ?? []).includes(name)),
          values: [],
        });
      if (child.const !== undefined) properties.get(name)!.values.push(child.const);
    }
  for (const [name, { schema: child, required, values }] of properties) {
    const at = `${prefix}${name}`;
    const summary = SUMMARISED[`${type}.${at}`];
    const fieldType =
      values.length > 1 ? values.map((value) => `\`${JSON.stringify(value)}\``).join(' | ') : typeOf(child);
    rows.push({
      path: at,
      type: summary ? 'object' : fieldType,
      required,
      note: summary ?? comments.get(at) ?? '',
    });
    if (summary) continue;
    const element = child.type === 'array' && child.items ? child.items : null;
    if (element && isObjectLike(element)) fieldRows(type, element, comments, `${at}[].`, rows);
    else if (!element && isObjectLike(child)) fieldRows(type, child, comments, `${at}.`, rows);
  }
  return rows;
}

// ---- the document ----

/** A markdown table cell: pipes escaped. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

function section(entry: CatalogueEntry, index: SourceIndex): string {
  const source = index.entries.get(entry.type);
  if (!source?.schema) throw new Error(`no registry entry for ${entry.type} in ${SOURCES.join(', ')}`);
  const meaning = [DESCRIPTIONS[entry.type], source.comment].filter(Boolean).join(' ');
  if (!meaning)
    throw new Error(
      `${entry.type} has no doc comment and no line in DESCRIPTIONS (infra/scripts/event-catalogue-doc.ts)`,
    );
  const comments = fieldComments(index, source.schema, index.file.get(source.schema)!);
  const rows = fieldRows(entry.type, entry.schema as JsonSchema, comments);
  const underPii = (row: FieldRow) => row.path === 'pii' || row.path.startsWith('pii.');
  // The leaves under `pii`: the values that are personal data.
  const personal = rows.filter(
    (row) =>
      underPii(row) &&
      !rows.some((other) => other.path.startsWith(`${row.path}.`) || other.path.startsWith(`${row.path}[].`)),
  );
  const lines = [
    `### ${entry.type} (v${entry.version})`,
    '',
    meaning,
    '',
    `CloudEvents type \`${entry.cloudEventType}\` · stream ${STREAMS[entry.aggregate ?? ''] ?? entry.aggregate}` +
      (entry.current ? '' : ' · an older version, upcast on read'),
    '',
    '| field | type | required | pii | notes |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| \`${row.path}\` | ${cell(row.type)} | ${row.required ? 'yes' : 'no'} | ${underPii(row) ? 'yes' : ''} | ${cell(row.note)} |`,
    ),
    '',
    personal.length === 0
      ? 'No personal data.'
      : `Personal data: ${personal.map((row) => `\`${row.path}\``).join(', ')} (left out unless the reader may see \`pii\`).`,
    '',
  ];
  return lines.join('\n');
}

/** The whole of docs/events.md, from the registry as it is now. */
export function renderEventCatalogue(): string {
  const index = indexSources();
  const order = Object.keys(eventSchemas);
  const entries = eventCatalogueWithVersions().sort(
    (a, b) => order.indexOf(a.type) - order.indexOf(b.type) || b.version - a.version,
  );
  for (const entry of entries)
    if (!isEventType(entry.type))
      throw new Error(`${entry.type} is in the catalogue but not in the registry`);
  const groups = Object.values(AGGREGATES).map((aggregate) => ({
    aggregate,
    entries: entries.filter(
      (entry) => AGGREGATES[eventAggregate[entry.type as keyof typeof eventAggregate]] === aggregate,
    ),
  }));
  const summary = entries.map((entry) => {
    const meaning = DESCRIPTIONS[entry.type] ?? index.entries.get(entry.type)?.comment ?? '';
    const anchor = `${entry.type}-v${entry.version}`.toLowerCase();
    return `| [${entry.type}](#${anchor}) | ${entry.version} | \`${entry.cloudEventType}\` | ${entry.aggregate} | ${cell(meaning)} |`;
  });
  return [
    '# Event catalogue',
    '',
    '<!-- Generated by `npm run docs:events` (infra/scripts/event-catalogue-doc.ts) from',
    '     libs/domain/src/registry.ts. Do not edit by hand: a unit test compares this file with the generator. -->',
    '',
    `Every fact Verity records is one of these ${entries.length} event types. The same schemas are served as`,
    'JSON Schema at `GET /events/schemas`; webhooks and the feed (`GET /events`, `GET /events/stream`)',
    'deliver them as CloudEvents 1.0:',
    '',
    '| CloudEvents attribute | value |',
    '| --- | --- |',
    '| `id` | the event id (a uuid; the same on every redelivery: de-duplicate by it) |',
    '| `source` | `/tenants/<tenantId>` |',
    '| `type` | `verity.<Type>.v<version>`, e.g. `verity.PeriodScored.v1` |',
    '| `subject` | the stream: `<category>-<tenantId>.<id>`, e.g. `appraisal-demo.5b1f…` |',
    '| `time` | when the event was recorded |',
    '| `position` | extension: the global position; pass it back as `?after=` or `Last-Event-ID` |',
    '| `data` | the fields below |',
    '',
    'Conventions:',
    '',
    '- Exact numbers are decimal strings (`"87.30"`), never binary floats. Times are ISO 8601 instants,',
    '  dates are `YYYY-MM-DD`. Ids are letters, digits, `.`, `_` or `-`; slugs (indicator ids) are',
    '  identifiers usable in formulas.',
    '- Personal data (names, e-mail addresses, free text) is only ever under `pii`. The feed and webhooks',
    '  leave `pii` out unless the credential has the `pii` scope (webhooks: a subscription with',
    '  `includePii`).',
    '- A breaking change to an event adds a version; older stored versions are upcast on read, so',
    '  integrators always receive the current one. Every type is at version 1 today.',
    '- The store adds metadata that is not part of `data`: tenant, actor (id and role), correlation and',
    '  causation ids, schema version and the hash chain (`previousHash`, `hash`); the audit API exposes it.',
    '',
    '| type | version | CloudEvents type | stream category | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...summary,
    '',
    ...groups.flatMap((group) =>
      group.entries.length === 0
        ? []
        : [`## ${group.aggregate} events`, '', ...group.entries.map((entry) => section(entry, index))],
    ),
  ]
    .join('\n')
    .replace(/\n+$/, '\n');
}

if (require.main === module) {
  writeFileSync(EVENTS_DOC, renderEventCatalogue());
  console.log(`docs:events: wrote ${path.relative(process.cwd(), EVENTS_DOC)}`);
}
