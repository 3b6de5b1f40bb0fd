import { Table, Typography, type TableProps } from 'antd';

/**
 * A small antd table named for screen readers, on one page unless told otherwise, with a sentence
 * when it is empty (the table's own grey placeholder falls under AA contrast).
 */
export function ListTable<Row extends object>({
  label,
  empty,
  ...props
}: { label: string; empty: string } & Omit<TableProps<Row>, 'size' | 'locale'>) {
  return (
    <Table<Row>
      aria-label={label}
      size="small"
      pagination={false}
      locale={{ emptyText: <Typography.Text>{empty}</Typography.Text> }}
      {...props}
    />
  );
}
