import { useQuery } from '@tanstack/react-query';
import { api, ok, type Answer } from '../../api/client';

export interface Subscription {
  subscriptionId: string;
  url: string;
  /** Empty: every event type. */
  eventTypes: string[];
  includePii: boolean;
  status: 'active' | 'paused';
  pausedReason: string | null;
  failingSince: string | null;
  createdAt: string;
}

/** One delivery of the log (GET /webhooks/subscriptions/{id}/deliveries). */
export type Delivery = DeliveryLog['items'][number];
type DeliveryLog = Answer<'/webhooks/subscriptions/{subscriptionId}/deliveries'>;

export interface CatalogueEntry {
  type: string;
  version: number;
  cloudEventType: string;
  aggregate: string | null;
  current: boolean;
  schema: unknown;
}

export interface ApiKey {
  keyId: string;
  name: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

export const keys = {
  subscriptions: ['integrations', 'subscriptions'] as const,
  deliveries: (subscriptionId: string) => ['integrations', 'deliveries', subscriptionId] as const,
  apiKeys: ['integrations', 'api-keys'] as const,
};

export function useSubscriptions() {
  return useQuery({
    queryKey: keys.subscriptions,
    queryFn: () => ok<{ items: Subscription[] }>(api.GET('/webhooks/subscriptions')),
  });
}

export function useDeliveries(subscriptionId: string) {
  return useQuery({
    queryKey: keys.deliveries(subscriptionId),
    queryFn: () =>
      ok<DeliveryLog>(
        api.GET('/webhooks/subscriptions/{subscriptionId}/deliveries', {
          params: { path: { subscriptionId }, query: {} },
        }),
      ),
  });
}

export function useCatalogue() {
  return useQuery({
    queryKey: ['integrations', 'catalogue'],
    staleTime: Infinity,
    queryFn: () => ok<{ items: CatalogueEntry[] }>(api.GET('/events/schemas')),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: keys.apiKeys,
    queryFn: () => ok<{ items: ApiKey[] }>(api.GET('/api-keys')),
  });
}
