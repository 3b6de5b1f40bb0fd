import { Button, Card, Form } from 'antd';
import { useMutation } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFeedback } from './feedback';
import { showProblem } from './forms';

/**
 * One command as a form, the one way the screens write: `send` posts the values; a refusal shows the
 * API's field errors on their fields (a 409 or 412 says so); after either, `reload` reads again what
 * the command changed, keeping everything typed.
 */
export function CommandForm<Values extends object = Record<string, never>>({
  name,
  title,
  send,
  reload,
  done,
  submit,
  initialValues,
  children,
}: {
  /** Unique on the screen when it shows the same form more than once (the fields' ids derive from it). */
  name?: string;
  title: string;
  send: (values: Values) => Promise<unknown>;
  reload: () => Promise<unknown>;
  done: string;
  submit: string;
  initialValues?: Partial<Values>;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const { message } = useFeedback();
  const [form] = Form.useForm<Values>();
  const command = useMutation({
    mutationFn: send,
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
        name={name}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => command.mutate(values)}
      >
        {children}
        <Button type="primary" htmlType="submit" loading={command.isPending}>
          {submit}
        </Button>
      </Form>
    </Card>
  );
}
