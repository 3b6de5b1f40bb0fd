import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Progress,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { useFeedback } from '../../app/feedback';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ok, type Answer } from '../../api/client';
import { useFormMutation } from '../../app/forms';
import { IdLookup, Page, useIdParam } from '../../app/Page';

/** A cycle, its opening progress and its subjects (GET /cycles/{cycleId}). */
type Cycle = Answer<'/cycles/{cycleId}'>;

interface OpenForm {
  cycleId: string;
  name: string;
  year: number;
  workflowId: string;
  workflowVersion: number;
  /** Which half, for a workflow with half-year cadence (the API refuses such a cycle without it). */
  half?: 1 | 2;
  orgUnitIds: string[];
}

/** HR's cycles: open one over org units, then watch its appraisals open and list its subjects. */
export function CyclesPage() {
  const { t } = useTranslation();
  const [cycleId, show] = useIdParam('cycleId');
  return (
    <Page title={t('cycles.title')}>
      <OpenCycleCard onOpened={show} />
      <Card title={t('cycles.find')}>
        <IdLookup label={t('cycles.cycleId')} action={t('cycles.show')} value={cycleId} onShow={show} />
      </Card>
      {cycleId && <CycleCard cycleId={cycleId} />}
    </Page>
  );
}

function OpenCycleCard({ onOpened }: { onOpened: (cycleId: string) => void }) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const [form] = Form.useForm<OpenForm>();
  const required = [{ required: true, message: t('cycles.required') }];
  const open = useFormMutation(form, {
    mutationFn: (body: OpenForm) => ok(api.POST('/cycles', { body: body as never })),
    onSuccess: (_, body) => {
      void message.success(t('cycles.opened', { cycleId: body.cycleId }));
      onOpened(body.cycleId);
    },
  });
  return (
    <Card title={t('cycles.open')}>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ year: new Date().getFullYear(), workflowVersion: 1, orgUnitIds: [] }}
        onFinish={(values) => open.mutate(values)}
        style={{ maxWidth: 640 }}
      >
        <Form.Item name="cycleId" label={t('cycles.cycleId')} rules={required}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('cycles.name')} rules={required}>
          <Input />
        </Form.Item>
        <Space>
          <Form.Item name="year" label={t('cycles.year')} rules={required}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Form.Item name="workflowId" label={t('cycles.workflowId')} rules={required}>
            <Input />
          </Form.Item>
          <Form.Item name="workflowVersion" label={t('cycles.workflowVersion')} rules={required}>
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item name="half" label={t('cycles.half')} tooltip={t('cycles.halfHelp')}>
            <Select
              allowClear
              placeholder={t('cycles.noHalf')}
              style={{ minWidth: 200 }}
              options={[
                { value: 1, label: t('cycles.firstHalf') },
                { value: 2, label: t('cycles.secondHalf') },
              ]}
            />
          </Form.Item>
        </Space>
        <Form.Item
          name="orgUnitIds"
          label={t('cycles.orgUnits')}
          rules={required}
          extra={t('cycles.orgUnitsHelp')}
        >
          <Select mode="tags" open={false} suffixIcon={null} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={open.isPending}>
          {t('cycles.openButton')}
        </Button>
      </Form>
    </Card>
  );
}

function CycleCard({ cycleId }: { cycleId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const cycle = useQuery({
    queryKey: ['cycles', cycleId],
    queryFn: () => ok<Cycle>(api.GET('/cycles/{cycleId}', { params: { path: { cycleId } } })),
    // The worker opens the appraisals after the cycle: look again until all are open.
    refetchInterval: (query) => (query.state.data && !query.state.data.opening.done ? 1000 : false),
  });
  if (cycle.error) return <Alert type="error" showIcon message={cycle.error.message} />;
  const data = cycle.data;
  if (!data) return null;
  const percent = data.opening.of === 0 ? 100 : Math.round((100 * data.opening.opened) / data.opening.of);
  return (
    <Card title={t('cycles.cycle', { name: data.opened?.name ?? data.id })}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Descriptions bordered size="small" column={{ xs: 1, md: 3 }}>
          <Descriptions.Item label={t('cycles.status')}>{data.status}</Descriptions.Item>
          <Descriptions.Item label={t('cycles.workflow')}>
            {data.workflowId} v{data.workflowVersion}
          </Descriptions.Item>
          <Descriptions.Item label={t('cycles.periods')}>
            {data.opened?.periods.length ?? 0}
          </Descriptions.Item>
        </Descriptions>
        <Typography.Text role="status">
          {t('cycles.progress', { opened: data.opening.opened, of: data.opening.of })}
        </Typography.Text>
        <Progress
          aria-label={t('cycles.progress', { opened: data.opening.opened, of: data.opening.of })}
          percent={percent}
          status={data.opening.done ? 'success' : 'active'}
        />
        <Table
          aria-label={t('cycles.subjects')}
          size="small"
          rowKey="appraisalId"
          dataSource={data.opened?.appraisals ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            {
              title: t('cycles.subject'),
              key: 'subject',
              render: (_, a) => (a.subject.kind === 'employee' ? a.subject.employeeId : a.subject.orgUnitId),
            },
            { title: t('cycles.unit'), key: 'unit', render: (_, a) => a.subject.orgUnitId },
            {
              title: t('cycles.appraisal'),
              dataIndex: 'appraisalId',
              render: (id: string) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => navigate(`/app/appraisals/${id}`)}>
                  {id}
                </Button>
              ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
