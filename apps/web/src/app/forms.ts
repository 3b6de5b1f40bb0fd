import type { FormInstance } from 'antd';
import { useMutation, type UseMutationOptions } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
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
