import { Form, type FormInstance } from 'antd';
import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiProblem } from '../api/client';
import { useFeedback } from './feedback';

/**
 * A refused write, shown where the person looks: the API's field errors on their fields (its path
 * `actuals.0.actual` is the form's name path), anything else as a message. Nothing typed is reset.
 */
export function showProblem(
  form: FormInstance,
  error: unknown,
  t: TFunction,
  notify: (text: string) => void,
): void {
  if (!(error instanceof ApiProblem)) {
    notify(t('common.error', { detail: String(error) }));
    return;
  }
  if (error.isConflict) {
    notify(t('common.conflict'));
    return;
  }
  const fields = (error.problem.errors ?? []).filter((issue) => issue.path);
  if (fields.length > 0)
    form.setFields(
      fields.map((issue) => ({
        name: issue.path!.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
        errors: [issue.message ?? issue.rule ?? ''],
      })),
    );
  notify(t('common.error', { detail: error.problem.detail }));
}

/** A write sent from a form: refused, it lands on the form by `showProblem`; done, the caller's `onSuccess`. */
export function useFormMutation<Answer, Variables>(
  form: FormInstance,
  options: Omit<UseMutationOptions<Answer, Error, Variables>, 'onError'>,
) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  return useMutation({
    ...options,
    onError: (error) => showProblem(form, error, t, (text) => void message.error(text)),
  });
}

/** A write sent by a button, with no form to put a refusal on: refused, its message is said. */
export function useActionMutation<Answer, Variables = void>(
  options: Omit<UseMutationOptions<Answer, Error, Variables>, 'onError'>,
) {
  const { message } = useFeedback();
  return useMutation({ ...options, onError: (error) => void message.error(error.message) });
}

/**
 * A write about one chosen row (an appeal, a breach, an appraisal) sent from a dialog's form:
 * `choose(row)` opens the dialog; done, it says `done`, closes, clears the form and calls `onDone`;
 * refused, as `useFormMutation`. `modal` is what a `FormModal` takes of it.
 */
export function useDialogWrite<Chosen, Values>(options: {
  send: (values: Values, chosen: Chosen) => Promise<unknown>;
  done: (chosen: Chosen) => string;
  onDone: () => unknown;
}) {
  const { message } = useFeedback();
  const [form] = Form.useForm<Values>();
  const [chosen, choose] = useState<Chosen | null>(null);
  const write = useFormMutation(form, {
    mutationFn: ({ values, row }: { values: Values; row: Chosen }) => options.send(values, row),
    onSuccess: async (_, { row }) => {
      void message.success(options.done(row));
      choose(null);
      form.resetFields();
      await options.onDone();
    },
  });
  return {
    form,
    chosen,
    choose,
    modal: {
      open: chosen !== null,
      busy: write.isPending,
      form,
      onCancel: () => choose(null),
      onFinish: (values: Values) => chosen !== null && write.mutate({ values, row: chosen }),
    },
  };
}
