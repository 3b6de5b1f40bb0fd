import { Table, Typography, type TableProps } from 'antd';

/** A small antd table on one page unless told otherwise: the screens' tables of a few rows. */
export function CompactTable<Row extends object>(props: Omit<TableProps<Row>, 'size'>) {
  return <Table<Row> size="small" pagination={false} {...props} />;
}

/**
 * A compact table named for screen readers, with a sentence when it is empty (the table's own grey
 * placeholder falls under AA contrast).
 */
export function ListTable<Row extends object>({
  label,
  empty,
  ...props
}: { label: string; empty: string } & Omit<TableProps<Row>, 'size' | 'locale'>) {
  return (
    <CompactTable<Row>
      aria-label={label}
      locale={{ emptyText: <Typography.Text>{empty}</Typography.Text> }}
      {...props}
    />
  );
}
