import { useQuery } from '@tanstack/react-query';
import { api, ok, type Answer } from '../../api/client';

/** A webhook subscription (GET /webhooks/subscriptions); its secret is shown at creation only. */
export type Subscription = Answer<'/webhooks/subscriptions'>['items'][number];

/** One delivery of the log (GET /webhooks/subscriptions/{id}/deliveries). */
export type Delivery = DeliveryLog['items'][number];
type DeliveryLog = Answer<'/webhooks/subscriptions/{subscriptionId}/deliveries'>;

/** One event type and version with its JSON Schema (GET /events/schemas). */
export type CatalogueEntry = Answer<'/events/schemas'>['items'][number];

/** An API key as listed (GET /api-keys): never its secret, shown once at creation. */
export type ApiKey = Answer<'/api-keys'>['items'][number];

export const keys = {
  subscriptions: ['integrations', 'subscriptions'] as const,
  deliveries: (subscriptionId: string) => ['integrations', 'deliveries', subscriptionId] as const,
  apiKeys: ['integrations', 'api-keys'] as const,
};

export function useSubscriptions() {
  return useQuery({
    queryKey: keys.subscriptions,
    queryFn: () => ok<Answer<'/webhooks/subscriptions'>>(api.GET('/webhooks/subscriptions')),
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
    queryFn: () => ok<Answer<'/events/schemas'>>(api.GET('/events/schemas')),
  });
}

export function useApiKeys() {
  return useQuery({
    queryKey: keys.apiKeys,
    queryFn: () => ok<Answer<'/api-keys'>>(api.GET('/api-keys')),
  });
}
