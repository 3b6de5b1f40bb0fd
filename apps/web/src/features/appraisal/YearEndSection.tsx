import { Alert, Checkbox, Descriptions, Form, InputNumber, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session';
import { StepForm, StepWords, withComment } from './StepForm';
import { appraiseeOf, type AppraisalSectionProps, type Indicator } from './queries';

/**
 * The year's other steps, each shown to whom the workflow gives it: improvement actions (the
 * appraisee files one, the manager verifies it), the self-assessment, a 360 rating to give, and
 * the final result to acknowledge or appeal. The API decides; the screen offers what it may allow.
 */
export function YearEndSection({
  appraisal,
  indicators,
  workflow,
}: AppraisalSectionProps & { indicators: Indicator[] }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const { state } = appraisal;
  const own = session?.employeeId === appraiseeOf(appraisal);
  const nameOf = (id: string) => indicators.find((indicator) => indicator.id === id)?.name ?? id;
  /** What an improvement action is for, as its forms' titles name it. */
  const about = (improvement: { indicatorId: string; periodId: string }) => ({
    indicator: nameOf(improvement.indicatorId),
    period: improvement.periodId,
  });
  const groups = (workflow.definition.raterGroups ?? []).map((group) => group.group);
  // The definition keeps a scale bound as it was written: a number, or a decimal string.
  const scale = {
    min: Number(workflow.definition.ratingScale?.min ?? 0),
    max: Number(workflow.definition.ratingScale?.max ?? 100),
  };
  // Improvement actions are filed and verified while the year runs (in progress or scored), not after.
  const improvementsOpen = state.status === 'in-progress' || state.status === 'scored';
  const improvements = improvementsOpen ? Object.entries(state.improvements ?? {}) : [];
  const toFile = own ? improvements.filter(([, i]) => i.status === 'required') : [];
  const toVerify =
    !own && session?.role === 'manager' ? improvements.filter(([, i]) => i.status === 'filed') : [];
  const inProgress = state.status === 'in-progress';
  const selfAssessment = own && inProgress && groups.includes('self') && !state.selfRating;
  // The groups a reader of the appraisal may rate in: its manager and skip-level manager (a peer
  // may not read it, and rates from the inbox instead).
  const rateAs =
    session?.role === 'manager' ? groups.filter((group) => ['manager', 'skip-level'].includes(group)) : [];
  const rated = (state.ratings ?? []).some(
    (rating) => 'raterId' in rating && rating.raterId === session?.employeeId,
  );
  const toRate = !own && inProgress && rateAs.length > 0 && !rated;
  const finalized = own && state.status === 'finalized' && state.result;
  const nothing = !toFile.length && !toVerify.length && !selfAssessment && !toRate && !finalized;
  // Ratings are typed (`controls={false}`): the spinner's buttons are mouse-only, Tab skips them.
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {state.result && (
        <Descriptions size="small" column={3} title={t('yearEnd.result')}>
          <Descriptions.Item label={t('scores.score')}>{state.result.score}</Descriptions.Item>
          <Descriptions.Item label={t('scores.grade')}>{state.result.grade}</Descriptions.Item>
          <Descriptions.Item label={t('scores.bonus')}>{state.result.bonusCoefficient}</Descriptions.Item>
        </Descriptions>
      )}
      {nothing && <Typography.Text>{t('yearEnd.nothing')}</Typography.Text>}
      {toFile.map(([improvementId, improvement]) => (
        <StepForm<{ action: string }>
          key={`file-${improvementId}`}
          appraisal={appraisal}
          title={t('yearEnd.improvementFor', about(improvement))}
          route="/appraisals/{appraisalId}/file-improvement"
          toBody={(values) => ({ improvementId, action: values.action })}
          done={t('yearEnd.improvementFiled')}
          submit={t('yearEnd.fileImprovement')}
        >
          <StepWords
            name="action"
            label={t('yearEnd.action', { indicator: nameOf(improvement.indicatorId) })}
            required
          />
        </StepForm>
      ))}
      {toVerify.map(([improvementId, improvement]) => (
        <StepForm<{ effective: boolean; goodPractice?: boolean; comment?: string }>
          key={`verify-${improvementId}`}
          appraisal={appraisal}
          title={t('yearEnd.verifyFor', about(improvement))}
          route="/appraisals/{appraisalId}/verify-improvement"
          toBody={(values) => ({
            improvementId,
            effective: values.effective,
            goodPractice: values.goodPractice ?? false,
            ...withComment(values.comment),
          })}
          done={t('yearEnd.verified')}
          submit={t('yearEnd.verify')}
        >
          <Form.Item name="effective" label={t('yearEnd.effective')} rules={[{ required: true }]}>
            <Radio.Group
              options={[
                { value: true, label: t('yearEnd.yes') },
                { value: false, label: t('yearEnd.no') },
              ]}
            />
          </Form.Item>
          <Form.Item name="goodPractice" valuePropName="checked">
            <Checkbox>{t('yearEnd.goodPractice')}</Checkbox>
          </Form.Item>
          <StepWords name="comment" label={t('review.comment')} />
        </StepForm>
      ))}
      {selfAssessment && (
        <StepForm<{ rating: number; comment?: string }>
          appraisal={appraisal}
          title={t('yearEnd.selfAssessment')}
          route="/appraisals/{appraisalId}/submit-self-assessment"
          toBody={(values) => ({
            rating: values.rating,
            ...withComment(values.comment),
          })}
          done={t('yearEnd.selfAssessed')}
          submit={t('yearEnd.submitSelf')}
        >
          <RatingAndComment scale={scale} />
        </StepForm>
      )}
      {toRate && (
        <StepForm<{ group: string; rating: number; comment?: string }>
          appraisal={appraisal}
          title={t('yearEnd.rate', { name: appraiseeOf(appraisal) ?? '' })}
          route="/appraisals/{appraisalId}/submit-rating"
          toBody={(values) => ({
            group: values.group,
            rating: values.rating,
            ...withComment(values.comment),
          })}
          done={t('yearEnd.rated')}
          submit={t('yearEnd.submitRating')}
          initialValues={{ group: rateAs[0] }}
        >
          <Form.Item name="group" label={t('yearEnd.group')} rules={[{ required: true }]}>
            <Radio.Group
              options={rateAs.map((group) => ({ value: group, label: t(`yearEnd.groups.${group}`, group) }))}
            />
          </Form.Item>
          <RatingAndComment scale={scale} />
        </StepForm>
      )}
      {finalized && (
        <>
          <Alert type="info" showIcon message={t('yearEnd.finalized')} />
          <StepForm<{ comment?: string }>
            appraisal={appraisal}
            title={t('yearEnd.acknowledge')}
            route="/appraisals/{appraisalId}/acknowledge-appraisal"
            toBody={(values) => withComment(values.comment)}
            done={t('yearEnd.acknowledged')}
            submit={t('yearEnd.acknowledge')}
          >
            <StepWords name="comment" label={t('yearEnd.acknowledgeComment')} />
          </StepForm>
          <StepForm<{ reason: string }>
            appraisal={appraisal}
            title={t('yearEnd.appeal')}
            route="/appraisals/{appraisalId}/file-appeal"
            toBody={(values) => ({ reason: values.reason })}
            done={t('yearEnd.appealed')}
            submit={t('yearEnd.appeal')}
          >
            <StepWords name="reason" label={t('yearEnd.appealReason')} required />
          </StepForm>
        </>
      )}
    </Space>
  );
}

/** A rating on the workflow's scale and an optional comment: what a self-assessment and a rating ask. */
function RatingAndComment({ scale }: { scale: { min: number; max: number } }) {
  const { t } = useTranslation();
  const rules = [{ required: true }, { type: 'number' as const, min: scale.min, max: scale.max }];
  return (
    <>
      <Form.Item name="rating" label={t('yearEnd.rating', scale)} rules={rules}>
        <InputNumber min={scale.min} max={scale.max} controls={false} />
      </Form.Item>
      <StepWords name="comment" label={t('review.comment')} />
    </>
  );
}
