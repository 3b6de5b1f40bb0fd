import { Form, Modal, type FormInstance } from 'antd';
import type { ReactNode } from 'react';

/**
 * A dialog holding one form: OK submits the form (its rules first) and spins while `busy`; Cancel
 * closes it, and what was typed goes with it.
 */
export function FormModal<Values>(props: {
  open: boolean;
  title: ReactNode;
  okText: ReactNode;
  cancelText: ReactNode;
  busy: boolean;
  form: FormInstance<Values>;
  initialValues?: Partial<Values>;
  onFinish: (values: Values) => unknown;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={props.okText}
      cancelText={props.cancelText}
      confirmLoading={props.busy}
      onOk={() => props.form.submit()}
      onCancel={props.onCancel}
      destroyOnHidden
    >
      <Form form={props.form} layout="vertical" initialValues={props.initialValues} onFinish={props.onFinish}>
        {props.children}
      </Form>
    </Modal>
  );
}
