import { theme } from 'antd';
import type { ReactNode } from 'react';

export interface PlainColumn<Row> {
  key: string;
  title: ReactNode;
  render: (value: unknown, row: Row, index: number) => ReactNode;
}

/**
 * A small semantic table in antd's look, for the screen that opens first (the plan): antd's Table
 * brings its filters, tree, pagination and select with it, about 80 KB gzip the first load would carry
 * before the plan can be used (ADR 0096). Screens opened later use antd's Table.
 */
export function PlainTable<Row>({
  rows,
  rowKey,
  columns,
  caption,
}: {
  rows: Row[];
  rowKey: (row: Row) => string;
  columns: PlainColumn<Row>[];
  caption?: string;
}) {
  const { token } = theme.useToken();
  const cell = {
    padding: '8px',
    borderBottom: `1px solid ${token.colorBorderSecondary}`,
    textAlign: 'start' as const,
    verticalAlign: 'top' as const,
  };
  return (
    <div style={{ overflowX: 'auto' }}>
      <table
        style={{
          width: '100%',
          borderCollapse: 'collapse',
          fontSize: token.fontSize,
          color: token.colorText,
        }}
      >
        {caption && (
          <caption style={{ position: 'absolute', width: 1, height: 1, overflow: 'hidden' }}>
            {caption}
          </caption>
        )}
        <thead>
          <tr>
            {columns.map((column) => (
              <th
                key={column.key}
                scope="col"
                style={{ ...cell, background: token.colorFillAlter, fontWeight: token.fontWeightStrong }}
              >
                {column.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.key} style={cell}>
                  {column.render(undefined, row, index)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
