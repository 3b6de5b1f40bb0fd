import { Descriptions, Form, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import type { WorkflowVersion } from '../appraisal/queries';

/** The behaviour rubric a workflow defines for plans (weeks and days are scored on the same one). */
export type PlanRules = NonNullable<WorkflowVersion['definition']['weeklyPlans']>;
/** The ratings as typed, in the rubric's order. */
export type RatingsTyped = { ratings?: ({ score?: number | null } | undefined)[] };

/** The typed ratings as the API's body: each with its criterion's id; one left empty is sent empty, for the API to name. */
export const ratingsBody = (rules: PlanRules, typed: RatingsTyped) =>
  rules.rubric.map((criterion, index) => ({
    criterionId: criterion.id,
    score: (typed.ratings?.[index]?.score ?? null) as number,
  }));

/**
 * One score per criterion of the rubric, on the rubric's scale: the form's `ratings` list, in the
 * rubric's order, as the API's body names it (`ratings.1.score`), so its refusals land on the field.
 */
export function RubricRatings({ rules }: { rules: PlanRules }) {
  const { t } = useTranslation();
  return (
    <>
      {rules.rubric.map((criterion, index) => (
        <Form.Item
          key={criterion.id}
          name={['ratings', index, 'score']}
          label={t('rubric.criterion', { name: criterion.name, weight: String(criterion.weight) })}
          extra={t('rubric.scale', { min: String(rules.scale.min), max: String(rules.scale.max) })}
        >
          <InputNumber controls={false} style={{ width: 160 }} />
        </Form.Item>
      ))}
    </>
  );
}

/** A score as given: the rubric's figure and each criterion's rating beside its name. */
export function RubricScore({
  rules,
  score,
  ratings,
  scoredBy,
}: {
  rules: PlanRules | null;
  score: string;
  ratings: readonly { criterionId: string; score: string }[];
  scoredBy: string | null;
}) {
  const { t } = useTranslation();
  const nameOf = (id: string) => rules?.rubric.find((criterion) => criterion.id === id)?.name ?? id;
  return (
    <Descriptions size="small" column={1} bordered data-testid="rubric-score">
      <Descriptions.Item label={t('rubric.score')}>
        {scoredBy ? t('rubric.scoredBy', { score, by: scoredBy }) : score}
      </Descriptions.Item>
      {ratings.map((rating) => (
        <Descriptions.Item key={rating.criterionId} label={nameOf(rating.criterionId)}>
          {rating.score}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
