import { useQuery } from '@tanstack/react-query';
import { Form, Radio, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, ok, type Answer } from '../../api/client';
import { useSession } from '../../app/session';
import { CompactTable } from '../../app/ListTable';
import { StepForm, StepWords } from './StepForm';
import type { AppraisalSectionProps, Nomination } from './queries';

// Self, manager and skip-level raters follow from the org chart; only the other groups are nominated.
const GIVEN_BY_THE_ORG_CHART = ['self', 'manager', 'skip-level'];

// antd's gold and green texts fall under AA contrast on their tags: the palettes' darkest shades read at 4.5:1 and more.
const STATUS_TAGS: Record<Nomination['status'], { color: string; style?: { color: string } }> = {
  proposed: { color: 'gold', style: { color: '#613400' } },
  approved: { color: 'green', style: { color: '#135200' } },
  rejected: { color: 'default' },
};

type Candidates = Answer<'/appraisals/{appraisalId}/nomination-candidates'>;

/** Who may be picked: the appraisee's department colleagues, named where the caller may read names (ADR 0099). */
function useCandidates(appraisalId: string, enabled: boolean) {
  return useQuery({
    enabled,
    queryKey: ['nomination-candidates', appraisalId],
    queryFn: () =>
      ok<Candidates>(
        api.GET('/appraisals/{appraisalId}/nomination-candidates', { params: { path: { appraisalId } } }),
      ),
  });
}

/**
 * The 360's nominated raters: the appraisee proposes a colleague for a group and the manager
 * approves or rejects the proposal (with a reason); HR assigns a rater directly. The API decides who
 * may do which; the screen offers each person what the workflow and their relation allow.
 */
export function NominationsSection({ appraisal, workflow }: AppraisalSectionProps) {
  const { t } = useTranslation();
  const { session } = useSession();
  const { state } = appraisal;
  const own = 'employeeId' in state.subject && session?.employeeId === state.subject.employeeId;
  const open = state.status === 'planning' || state.status === 'in-progress';
  const groups = (workflow.definition.raterGroups ?? [])
    .map((group) => group.group)
    .filter((group) => !GIVEN_BY_THE_ORG_CHART.includes(group));
  const nominations = Object.entries(state.nominations ?? {});
  const proposed = nominations.filter(([, nomination]) => nomination.status === 'proposed');
  const hr = session?.role === 'hr';
  const mayNominate = open && groups.length > 0 && (own || hr);
  const decides = open && !own && (session?.role === 'manager' || hr);
  const groupName = (group: string) => t(`yearEnd.groups.${group}`, group);
  const candidates = useCandidates(appraisal.appraisalId, mayNominate || decides);
  const names = new Map(
    (candidates.data?.items ?? []).flatMap((item) => (item.name ? [[item.employeeId, item.name]] : [])),
  );
  const person = (employeeId: string) => {
    const name = names.get(employeeId);
    return name ? `${name} (${employeeId})` : employeeId;
  };
  // A colleague already proposed or approved is not offered again (the API would refuse it).
  const standing = new Set(
    nominations.filter(([, nomination]) => nomination.status !== 'rejected').map(([, n]) => n.employeeId),
  );
  const options = (candidates.data?.items ?? [])
    .filter((item) => !standing.has(item.employeeId))
    .map((item) => ({ value: item.employeeId, label: person(item.employeeId) }));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {groups.length === 0 ? (
        <Typography.Text>{t('nominations.noGroups')}</Typography.Text>
      ) : (
        <CompactTable
          rowKey={([nominationId]) => nominationId}
          dataSource={nominations}
          locale={{ emptyText: t('nominations.none') }}
          columns={[
            { title: t('nominations.group'), render: (_, [, nomination]) => groupName(nomination.group) },
            { title: t('nominations.rater'), render: (_, [, nomination]) => person(nomination.employeeId) },
            {
              title: t('nominations.status'),
              render: (_, [, nomination]) => (
                <Tag {...STATUS_TAGS[nomination.status]}>
                  {t(`nominations.statuses.${nomination.status}`)}
                </Tag>
              ),
            },
          ]}
        />
      )}
      {decides &&
        proposed.map(([nominationId, nomination]) => (
          <Space key={nominationId} align="start" wrap>
            <StepForm
              appraisal={appraisal}
              title={t('nominations.approveTitle', {
                rater: person(nomination.employeeId),
                group: groupName(nomination.group),
              })}
              route="/appraisals/{appraisalId}/approve-nomination"
              toBody={() => ({ nominationId })}
              done={t('nominations.approved')}
              submit={t('nominations.approve')}
            >
              {null}
            </StepForm>
            <StepForm<{ reason: string }>
              appraisal={appraisal}
              title={t('nominations.rejectTitle', { rater: person(nomination.employeeId) })}
              route="/appraisals/{appraisalId}/reject-nomination"
              toBody={(values) => ({ nominationId, reason: values.reason })}
              done={t('nominations.rejected')}
              submit={t('nominations.reject')}
            >
              <StepWords name="reason" label={t('nominations.reason')} required />
            </StepForm>
          </Space>
        ))}
      {mayNominate && (
        <StepForm<{ group: string; employeeId: string }>
          appraisal={appraisal}
          title={own ? t('nominations.propose') : t('nominations.assign')}
          route="/appraisals/{appraisalId}/nominate-rater"
          toBody={(values) => ({ group: values.group, employeeId: values.employeeId })}
          done={own ? t('nominations.proposed') : t('nominations.assigned')}
          submit={own ? t('nominations.propose') : t('nominations.assign')}
          initialValues={{ group: groups[0] }}
        >
          <Form.Item name="group" label={t('nominations.group')} rules={[{ required: true }]}>
            <Radio.Group options={groups.map((group) => ({ value: group, label: groupName(group) }))} />
          </Form.Item>
          <Form.Item
            name="employeeId"
            label={t('nominations.employeeId')}
            extra={t('nominations.employeeIdHelp')}
            rules={[{ required: true }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              options={options}
              loading={candidates.isLoading}
              notFoundContent={t('nominations.noCandidates')}
            />
          </Form.Item>
        </StepForm>
      )}
    </Space>
  );
}
