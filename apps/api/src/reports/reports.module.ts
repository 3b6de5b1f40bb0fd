import { Module } from '@nestjs/common';
import { EventStoreModule } from '../event-store/event-store.module';
import { ExportScoresController } from './export-scores/export-scores.http.controller';

/** Exports people ask for: scores by unit, cycle and period as CSV and XLSX (docs/adr/0124). */
@Module({
  imports: [EventStoreModule],
  controllers: [ExportScoresController],
})
export class ReportsModule {}
