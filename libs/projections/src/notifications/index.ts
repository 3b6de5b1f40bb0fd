// The in-app notifications read model fed by steps and timers (its queries are in ../timers), and
// what an e-mail of it says. The worker runs the projection and sends the e-mails.
export * from './directory-history';
export * from './notification-templates';
export * from './timer-notifications.projection';
