/**
 * The public surface of `@verity/domain`. Import from here only; files behind it may move.
 */
export * from './shared/errors';
export * from './shared/context';
export * from './shared/primitives';
export * from './shared/messages';
export * from './registry';
export * from './decider';
export * from './deciders';

export * from './workflow/workflow-definition.schema';
export * from './workflow/workflow.events';
export * from './workflow/workflow.commands';

export * from './directory/directory.events';
export * from './directory/directory.commands';

export * from './cycle/cycle.events';
export * from './cycle/cycle.commands';

export * from './appraisal/appraisal.events';
export * from './appraisal/appraisal.commands';
export * from './target-tree/target-tree.events';
export * from './target-tree/target-tree.commands';
export * from './target-tree/target-tree.decide';
export * from './target-tree/unit-results';
export * from './target-tree/unit-result-rule.schema';
export * from './weekly-plan/iso-week';
export * from './weekly-plan/behaviour-rubric.schema';
export * from './weekly-plan/weekly-plan.events';
export * from './weekly-plan/weekly-plan.commands';
export * from './weekly-plan/weekly-plan.decide';
export * from './weekly-plan/scored-weeks';
export * from './daily-plan/daily-plan.events';
export * from './daily-plan/daily-plan.commands';
export * from './daily-plan/daily-plan.decide';
export * from './scoring/behaviour-score';
export * from './audit/audit.events';
export * from './operations/operations.events';

export * from './workflow/workflow-definition.validate';
export * from './workflow/workflow.decide';
export * from './scoring/decimal';
export * from './scoring/expression';
export * from './examples/sales-4232.workflow';
export * from './examples/weekly-plan-steps';
export * from './examples/daily-plan-steps';
export * from './scoring/indicator-score';
export * from './scoring/grade';
export * from './scoring/period-score';
export * from './scoring/annual-score';
export * from './scoring/forced-distribution';

export * from './shared/uuid';
export * from './shared/authorize';
export * from './directory/directory.state';
export * from './directory/directory.decide';
export * from './directory/unit-heads';
export * from './directory/directory.queries';
export * from './cycle/periods';
export * from './cycle/cycle.decide';
export * from './cycle/cycle-scope';
export * from './cycle/membership';
export * from './appraisal/appraisal.state';
export * from './appraisal/appraisal.evolve';
export * from './appraisal/appraisal.steps';
export * from './appraisal/appraisal.decide';
export * from './appraisal/created-ids';
export * from './appraisal/nomination-candidates';
export * from './process-managers';
export * from './visibility/visibility';
export * from './visibility/readable-appraisees';
export * from './notifications/recipients';
export * from './notifications/moved-steps';
