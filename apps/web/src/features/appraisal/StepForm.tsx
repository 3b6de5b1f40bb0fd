import type { ReactNode } from 'react';
import { Form, Input } from 'antd';
import { api, ok } from '../../api/client';
import { CommandForm } from '../../app/CommandForm';
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
 * One step of the appraisal as a form (a CommandForm): sent with `If-Match` of the revision it was
 * built from; after a write or a refusal the appraisal is read again.
 */
export function StepForm<Values extends object = Record<string, never>>({
  appraisal,
  route,
  toBody,
  ...form
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
  const reload = useReloadAppraisal(appraisal.appraisalId);
  return (
    <CommandForm<Values>
      {...form}
      reload={reload}
      send={(values) =>
        ok(
          api.POST(route, {
            params: { path: { appraisalId: appraisal.appraisalId } },
            headers: ifMatch(appraisal.revision),
            // Each route's body is checked by the API, whose field errors land on this form.
            body: toBody(values) as never,
          }),
        )
      }
    />
  );
}

/** A step's words (a comment, a reason): two lines; `required` ones refuse blank before sending. */
export function StepWords({ name, label, required }: { name: string; label: string; required?: boolean }) {
  return (
    <Form.Item name={name} label={label} rules={required ? [{ required, whitespace: true }] : undefined}>
      <Input.TextArea rows={2} />
    </Form.Item>
  );
}

/** A step's optional comment in its body: left out when none was typed. */
export const withComment = (comment?: string) => (comment ? { comment } : {});
