export * from './audit/audit.projection';
export * from './audit/audit.queries';
export * from './rls/rls-check';
export * from './score/score-as-of';
export * from './audit/verify-chains';
