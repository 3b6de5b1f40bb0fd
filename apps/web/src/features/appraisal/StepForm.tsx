import { Button, Card, Form } from 'antd';
import { useFeedback } from '../../app/feedback';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ok } from '../../api/client';
import { showProblem } from '../../app/forms';
import { ifMatch, useReloadAppraisal, type Appraisal } from './queries';

/** The appraisal's commands the employee's and manager's screens send. */
export type StepRoute =
  | '/appraisals/{appraisalId}/file-period-review'
  | '/appraisals/{appraisalId}/assess-period-review'
  | '/appraisals/{appraisalId}/score-period'
  | '/appraisals/{appraisalId}/file-improvement'
  | '/appraisals/{appraisalId}/verify-improvement'
  | '/appraisals/{appraisalId}/submit-self-assessment'
  | '/appraisals/{appraisalId}/submit-rating'
  | '/appraisals/{appraisalId}/nominate-rater'
  | '/appraisals/{appraisalId}/approve-nomination'
  | '/appraisals/{appraisalId}/reject-nomination'
  | '/appraisals/{appraisalId}/acknowledge-appraisal'
  | '/appraisals/{appraisalId}/file-appeal';

/**
 * One step of the appraisal as a form, the one way its tabs write: sent with `If-Match`
 * of the revision it was built from; a refusal shows the API's field errors on their fields (a 409
 * or 412 says so) and the appraisal is read again, keeping everything typed.
 */
export function StepForm<Values extends object = Record<string, never>>({
  appraisal,
  title,
  route,
  toBody,
  done,
  submit,
  initialValues,
  children,
}: {
  appraisal: Appraisal;
  title: string;
  route: StepRoute;
  toBody: (values: Values) => Record<string, unknown>;
  done: string;
  submit: string;
  initialValues?: Partial<Values>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const [form] = Form.useForm<Values>();
  const reload = useReloadAppraisal(appraisal.appraisalId);
  const send = useMutation({
    mutationFn: (values: Values) =>
      ok(
        api.POST(route, {
          params: { path: { appraisalId: appraisal.appraisalId } },
          headers: ifMatch(appraisal.revision),
          // Each route's body is checked by the API, whose field errors land on this form.
          body: toBody(values) as never,
        }),
      ),
    onSuccess: async () => {
      void message.success(done);
      await reload();
    },
    onError: async (error) => {
      showProblem(form, error, t, (text) => void message.error(text));
      await reload();
    },
  });
  return (
    <Card title={title} size="small">
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => send.mutate(values)}
      >
        {children}
        <Button type="primary" htmlType="submit" loading={send.isPending}>
          {submit}
        </Button>
      </Form>
    </Card>
  );
}
