import { Alert, Button, Card, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useSession } from '../../app/session';
import { useAppraisalsSeen, useWorkflow } from '../appraisal/queries';
import {
  appraisalOfDays,
  dayToOpen,
  daysShown,
  monthOfIsoWeek,
  nextIsoWeek,
  previousIsoWeek,
  weekToShow,
} from './days';
import { DayPanel } from './DayPanel';
import { useDays, useMonthWeeks, useReloadDays } from './queries';

/** Today in the reader's own time zone, as a date (`YYYY-MM-DD`): the day they would plan. */
const localToday = () => new Date().toLocaleDateString('en-CA');

/**
 * A person's days of one ISO week (`/app/days?employeeId=&week=`): the person plans and summarizes
 * them, their manager annotates and scores them. Without `employeeId`, the reader's own days; without
 * `week`, this week.
 */
export function DaysPage() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const today = localToday();
  const employeeId = params.get('employeeId') ?? session?.employeeId ?? '';
  const week = weekToShow(params.get('week'), today);
  const days = useDays(employeeId, week);
  const weeks = useMonthWeeks(employeeId, monthOfIsoWeek(week));
  const appraisals = useAppraisalsSeen();
  const appraisal = appraisalOfDays(appraisals.data?.items ?? [], employeeId, weeks.data?.cycleId ?? null);
  const workflow = useWorkflow(appraisal?.workflowId, appraisal?.workflowVersion);
  const reload = useReloadDays(employeeId, week);
  if (days.error) return <Alert type="error" message={t('common.error', { detail: days.error.message })} />;
  if (!days.data || appraisals.isLoading || weeks.isLoading || workflow.isLoading) return <Skeleton active />;

  const own = employeeId === session?.employeeId;
  const rules = workflow.data?.definition.weeklyPlans ?? null;
  const weekItems = weeks.data?.weeks.find((entry) => entry.week === week)?.items ?? [];
  const shown = daysShown(week, days.data.days);
  const weekday = (date: string) =>
    new Date(`${date}T00:00:00Z`).toLocaleDateString(i18n.resolvedLanguage, {
      weekday: 'short',
      timeZone: 'UTC',
    });
  const linkTo = (other: string) => `/app/days?employeeId=${encodeURIComponent(employeeId)}&week=${other}`;
  return (
    <Card>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t(own ? 'days.myTitle' : 'days.title', { name: employeeId, week })}
      </Typography.Title>
      <Space style={{ marginBottom: 16 }}>
        <Button onClick={() => navigate(linkTo(previousIsoWeek(week)))}>{t('days.previousWeek')}</Button>
        <Button onClick={() => navigate(linkTo(nextIsoWeek(week)))}>{t('days.nextWeek')}</Button>
      </Space>
      {!rules && !workflow.isLoading && <Alert type="info" message={t('days.notEnabled')} />}
      <Tabs
        key={week}
        defaultActiveKey={dayToOpen(shown, today)}
        items={shown.map((date) => {
          const day = days.data.days.find((entry) => entry.date === date)!;
          return {
            key: date,
            label: (
              <span>
                {weekday(date)} {date} <Tag>{t(`days.statuses.${day.status}`)}</Tag>
              </span>
            ),
            children: (
              <DayPanel
                day={day}
                own={own}
                today={today}
                employeeId={employeeId}
                cycleId={appraisal?.cycleId ?? null}
                rules={rules}
                weekItems={weekItems}
                reload={reload}
              />
            ),
          };
        })}
      />
    </Card>
  );
}
