import { Form, Input } from 'antd';

/** Words typed into a form (a reason, a description), `rows` high; `required` is what is said when none were typed. */
export function WordsField({
  name,
  label,
  rows,
  required,
}: {
  name: string;
  label: string;
  rows: number;
  required?: string;
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      rules={required ? [{ required: true, message: required }] : undefined}
    >
      <Input.TextArea rows={rows} />
    </Form.Item>
  );
}
