import { Module } from '@nestjs/common';
import { AuditController } from './audit/audit.http.controller';

/** Read-model queries (libs/projections) served over HTTP. */
@Module({ controllers: [AuditController] })
export class QueriesModule {}
