export * from './config';
export * from './database';
export * from './redis';
export * from './logger';
export * from './platform.module';
export * from './shutdown';
export * from './dependency-failure';
export * from './jose';
