import { Button, Input, Space, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { placeholderLabelled } from './placeholder-labelled';

/** A page of the app: its one heading over its cards, stacked. */
export function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {title}
      </Typography.Title>
      {children}
    </Space>
  );
}

/** The id a page shows, kept in the address (`?cycleId=…`) so that the page can be linked to and reloaded. */
export function useIdParam(name: string): [string, (id: string) => void] {
  const [params, setParams] = useSearchParams();
  return [params.get(name) ?? '', (id) => setParams({ [name]: id })];
}

/** A field to type an id in and a button (or Enter) to show it; spaces around the id are dropped. */
export function IdLookup(props: {
  label: string;
  action: string;
  value: string;
  onShow: (id: string) => void;
}) {
  const [lookup, setLookup] = useState(props.value);
  const show = () => props.onShow(lookup.trim());
  return (
    <Space.Compact>
      <Input {...placeholderLabelled(props.label, lookup, setLookup)} onPressEnter={show} />
      <Button onClick={show}>{props.action}</Button>
    </Space.Compact>
  );
}
