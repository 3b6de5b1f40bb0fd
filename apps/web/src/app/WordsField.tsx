import { Form, Input } from 'antd';

/** Words typed into a form (a reason, a description), `rows` high; `requiredMessage`, when given, makes them required and is what is said when none were typed. */
export function WordsField({
  name,
  label,
  rows,
  requiredMessage,
}: {
  name: string;
  label: string;
  rows: number;
  requiredMessage?: string;
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      rules={requiredMessage ? [{ required: true, message: requiredMessage }] : undefined}
    >
      <Input.TextArea rows={rows} />
    </Form.Item>
  );
}
