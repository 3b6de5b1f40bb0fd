import { Alert, Card, Descriptions, Skeleton, Tabs, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useSession } from '../../app/session';
import { lazy, Suspense, type ReactNode } from 'react';
import { PlanSection } from './PlanSection';
import { withAdministration } from '../../i18n';

// The plan is what opens first; the other tabs load when opened (they bring forms, steps and charts).
const ReviewsSection = lazy(() => import('./ReviewsSection').then((m) => ({ default: m.ReviewsSection })));
const ScoresSection = lazy(() => import('./ScoresSection').then((m) => ({ default: m.ScoresSection })));
const YearEndSection = lazy(() => import('./YearEndSection').then((m) => ({ default: m.YearEndSection })));
const NominationsSection = lazy(() =>
  import('./NominationsSection').then((m) => ({ default: m.NominationsSection })),
);
// The red lines' statuses are the administration catalogue's words (HR's red-lines screen shows them too).
const RedLinesSection = lazy(() =>
  withAdministration(import('./RedLinesSection')).then((m) => ({ default: m.RedLinesSection })),
);
const TimelineSection = lazy(() => import('./TimelineSection').then((m) => ({ default: m.TimelineSection })));
const later = (children: ReactNode) => <Suspense fallback={<Skeleton active />}>{children}</Suspense>;
import { appraiseeOf, useAppraisal, useAppraisalsSeen, useWorkflow } from './queries';

/** The signed-in person's own appraisal: found through the score read model, which lists it for them. */
export function MyAppraisalPage() {
  const { t } = useTranslation();
  const mine = useAppraisalsSeen();
  const { session } = useSession();
  if (mine.isLoading) return <Skeleton active />;
  const own = mine.data?.items.find((item) => item.employeeId === session?.employeeId);
  if (!own) return <Alert type="info" message={t('appraisal.none')} />;
  return <AppraisalView appraisalId={own.appraisalId} />;
}

export function AppraisalPage() {
  const { appraisalId } = useParams();
  return <AppraisalView appraisalId={appraisalId!} />;
}

function AppraisalView({ appraisalId }: { appraisalId: string }) {
  const { t } = useTranslation();
  const appraisal = useAppraisal(appraisalId);
  const workflow = useWorkflow(appraisal.data?.state.workflowId, appraisal.data?.state.workflowVersion);
  if (appraisal.error)
    return <Alert type="error" message={t('common.error', { detail: appraisal.error.message })} />;
  if (!appraisal.data || !workflow.data) return <Skeleton active />;
  const { state } = appraisal.data;
  const indicators = workflow.data.definition.scorecard.indicators;
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('appraisal.title', { name: appraiseeOf(appraisal.data) ?? state.subject.orgUnitId })}
      </Typography.Title>
      <Descriptions size="small" column={3}>
        <Descriptions.Item label={t('appraisal.cycle')}>{state.cycleId}</Descriptions.Item>
        <Descriptions.Item label={t('appraisal.status')}>
          {t(`statuses.${state.status}`, state.status)}
        </Descriptions.Item>
        <Descriptions.Item label={t('appraisal.revision')}>{appraisal.data.revision}</Descriptions.Item>
      </Descriptions>
      <Tabs
        items={[
          {
            key: 'plan',
            label: t('appraisal.tabs.plan'),
            children: <PlanSection appraisal={appraisal.data} indicators={indicators} />,
          },
          {
            key: 'reviews',
            label: t('appraisal.tabs.reviews'),
            children: later(
              <ReviewsSection
                appraisal={appraisal.data}
                indicators={indicators}
                earlyFilingDays={workflow.data.definition.earlyFilingDays}
              />,
            ),
          },
          {
            key: 'scores',
            label: t('appraisal.tabs.scores'),
            children: later(<ScoresSection appraisalId={appraisalId} indicators={indicators} />),
          },
          {
            key: 'year-end',
            label: t('appraisal.tabs.yearEnd'),
            children: later(
              <YearEndSection appraisal={appraisal.data} indicators={indicators} workflow={workflow.data} />,
            ),
          },
          {
            key: 'raters',
            label: t('appraisal.tabs.raters'),
            children: later(<NominationsSection appraisal={appraisal.data} workflow={workflow.data} />),
          },
          {
            key: 'red-lines',
            label: t('myRedLines.tab'),
            children: later(<RedLinesSection appraisal={appraisal.data} workflow={workflow.data} />),
          },
          {
            key: 'timeline',
            label: t('appraisal.tabs.timeline'),
            children: later(<TimelineSection appraisalId={appraisalId} />),
          },
        ]}
      />
    </Card>
  );
}
