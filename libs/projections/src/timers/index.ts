export * from './timers.projection';
export * from './timers.repository';
export * from './workflow-versions';
export * from './notifications.queries';
