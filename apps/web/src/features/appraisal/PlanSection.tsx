import { Alert, Button, Form, Input, Space, Typography } from 'antd';
import { useFeedback } from '../../app/feedback';
import { PlainTable } from '../../app/PlainTable';
import { LineAnnotations, planAnnotations, type PlanAnnotations } from './annotations';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { showProblem } from '../../app/forms';
import { useSession } from '../../app/session';
import {
  appraiseeOf,
  ifMatch,
  useEvents,
  useReloadAppraisal,
  type Appraisal,
  type Indicator,
} from './queries';

interface Line {
  indicatorId: string;
  threshold: string;
  target: string;
  stretch: string;
  annotation?: string;
  reply?: string;
}

const EDITABLE = new Set(['draft', 'returned']);

/**
 * The plan, built from the workflow's indicators: the appraisee edits threshold / target / stretch
 * and submits; the manager approves or returns it with an annotation on the lines concerned.
 */
export function PlanSection({ appraisal, indicators }: { appraisal: Appraisal; indicators: Indicator[] }) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const { session } = useSession();
  // Named as the API names its body (`targets.0.target`), so its field errors land on the right input.
  const [form] = Form.useForm<{ targets: Line[] }>();
  const reload = useReloadAppraisal(appraisal.appraisalId);
  const events = useEvents(appraisal.appraisalId);
  const annotations: PlanAnnotations = planAnnotations(events.data?.items ?? [], indicators);
  const plan = appraisal.state.plan;
  const status = plan?.status ?? 'draft';
  const own = session?.employeeId === appraiseeOf(appraisal);
  const editing = own && EDITABLE.has(status);
  const reviewing = !own && session?.role !== 'employee' && status === 'submitted';
  const initial: Line[] = indicators.map((indicator) => {
    const planned = plan?.targets.find((target) => target.indicatorId === indicator.id);
    return {
      indicatorId: indicator.id,
      threshold: planned?.threshold ?? ('levels' in indicator ? String(indicator.levels.threshold) : ''),
      target: planned?.target ?? ('levels' in indicator ? String(indicator.levels.target) : ''),
      stretch: planned?.stretch ?? ('levels' in indicator ? String(indicator.levels.stretch) : ''),
    };
  });
  const path = {
    params: { path: { appraisalId: appraisal.appraisalId } },
    headers: ifMatch(appraisal.revision),
  };
  const onFailure = async (error: unknown) => {
    showProblem(form, error, t, (text) => void message.error(text));
    await reload();
  };

  const submit = useMutation({
    mutationFn: (lines: Line[]) =>
      ok(
        api.POST('/appraisals/{appraisalId}/submit-plan', {
          ...path,
          // The form holds the inputs only; each line is the indicator of the same position.
          body: {
            targets: lines.map(({ threshold, target, stretch }, index) => ({
              indicatorId: indicators[index].id,
              threshold,
              target,
              stretch,
            })),
          },
        }),
      ),
    onSuccess: async () => {
      void message.success(t('plan.submitted'));
      await reload();
    },
    onError: onFailure,
  });
  // Each answer is an annotation on the indicator's line; sent one after the other, each on the revision the last one made.
  const answer = useMutation({
    mutationFn: async (lines: Line[]) => {
      let revision = appraisal.revision;
      for (const [index, line] of lines.entries()) {
        if (!line.reply?.trim()) continue;
        const answered = await ok(
          api.POST('/appraisals/{appraisalId}/annotations', {
            params: { path: { appraisalId: appraisal.appraisalId } },
            headers: ifMatch(revision),
            body: { on: { indicatorId: indicators[index].id }, text: line.reply.trim() },
          }),
        );
        revision = answered.revision ?? revision;
        form.setFieldValue(['targets', index, 'reply'], '');
      }
    },
    onSuccess: async () => {
      void message.success(t('plan.answered'));
      await reload();
    },
    onError: onFailure,
  });
  const approve = useMutation({
    mutationFn: () => ok(api.POST('/appraisals/{appraisalId}/approve-plan', { ...path, body: {} })),
    onSuccess: async () => {
      void message.success(t('plan.approved'));
      await reload();
    },
    onError: onFailure,
  });
  const giveBack = useMutation({
    mutationFn: (lines: Line[]) => {
      const annotations = lines.flatMap((line, index) =>
        line.annotation?.trim() ? [{ path: `targets.${index}`, text: line.annotation.trim() }] : [],
      );
      return ok(api.POST('/appraisals/{appraisalId}/return-plan', { ...path, body: { annotations } }));
    },
    onSuccess: async () => {
      void message.success(t('plan.returned'));
      await reload();
    },
    onError: onFailure,
  });

  const cell = (field: 'threshold' | 'target' | 'stretch', label: string) => ({
    title: label,
    key: field,
    render: (_: unknown, line: Line, index: number) =>
      editing ? (
        <Form.Item
          name={['targets', index, field]}
          style={{ margin: 0 }}
          rules={[{ required: true, pattern: /^-?\d+(\.\d+)?$/, message: t('review.actual') }]}
        >
          <Input
            aria-label={`${indicators[index].name}: ${label}`}
            inputMode="decimal"
            style={{ width: 110 }}
          />
        </Form.Item>
      ) : (
        line[field]
      ),
  });

  /** A line's free text: the planner's reply to a return, or the reviewer's annotation. */
  const textCell = (field: 'reply' | 'annotation', title: string, label: string) => ({
    title,
    key: field,
    render: (_: unknown, _line: Line, index: number) => (
      <Form.Item name={['targets', index, field]} style={{ margin: 0 }}>
        <Input.TextArea aria-label={`${indicators[index].name}: ${label}`} autoSize rows={1} />
      </Form.Item>
    ),
  });

  return (
    <Form form={form} initialValues={{ targets: initial }} layout="vertical">
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          {t('plan.status', { status: t(`statuses.${status}`, status), version: plan?.version ?? 0 })}
        </Typography.Text>
        {status === 'returned' && own && (
          <Alert
            type="warning"
            showIcon
            message={t('plan.returnedBy', { actor: annotations.returnedBy ?? '—' })}
            description={annotations.withheld ? t('plan.withheld') : undefined}
          />
        )}
        <PlainTable<Line>
          rowKey={(line) => line.indicatorId}
          rows={initial}
          caption={t('appraisal.tabs.plan')}
          columns={[
            { title: t('plan.indicator'), key: 'name', render: (_, _line, index) => indicators[index].name },
            { title: t('plan.weight'), key: 'weight', render: (_, _line, index) => indicators[index].weight },
            cell('threshold', t('plan.threshold')),
            cell('target', t('plan.target')),
            cell('stretch', t('plan.stretch')),
            ...(annotations.any
              ? [
                  {
                    title: t('plan.notes'),
                    key: 'notes',
                    render: (_: unknown, _line: Line, index: number) => (
                      <LineAnnotations notes={annotations.byLine[index]} />
                    ),
                  },
                ]
              : []),
            ...(editing && status === 'returned'
              ? [textCell('reply', t('plan.reply'), t('plan.reply'))]
              : []),
            ...(reviewing ? [textCell('annotation', t('plan.annotations'), t('plan.annotate'))] : []),
          ]}
        />
        {editing && (
          <Space>
            <Button
              type="primary"
              loading={submit.isPending}
              onClick={() => void form.validateFields().then(({ targets }) => submit.mutate(targets))}
            >
              {t('plan.submit')}
            </Button>
            {status === 'returned' && (
              <Button
                loading={answer.isPending}
                onClick={() => {
                  const lines = form.getFieldValue('targets') as Line[];
                  if (!lines.some((line) => line.reply?.trim())) void message.warning(t('plan.needsReply'));
                  else answer.mutate(lines);
                }}
              >
                {t('plan.sendReplies')}
              </Button>
            )}
          </Space>
        )}
        {reviewing && (
          <Space>
            <Button type="primary" loading={approve.isPending} onClick={() => approve.mutate()}>
              {t('plan.approve')}
            </Button>
            <Button
              loading={giveBack.isPending}
              onClick={() => {
                const lines = form.getFieldValue('targets') as Line[];
                if (!lines.some((line) => line.annotation?.trim()))
                  void message.warning(t('plan.needsAnnotation'));
                else giveBack.mutate(lines);
              }}
            >
              {t('plan.return')}
            </Button>
          </Space>
        )}
      </Space>
    </Form>
  );
}
