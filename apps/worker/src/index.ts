/**
 * The worker's public entry point for scripts and benches outside apps/ (the lint rules refuse
 * their imports of anything deeper): what they may build on without depending on its layout.
 */
export { webhookDeliveriesConsumer } from './webhooks/webhook-deliveries.consumer';
export { startWebhookDelivery } from './webhooks/webhook-delivery.runtime';
export {
  catchUpWeeklyPlanSteps,
  type WeeklyStepsCatchUpReport,
} from './weekly-steps-catch-up/weekly-steps-catch-up';
export { systemClock, type Clock } from './timers/clock';
