import type { RetentionCutoffs, Store } from "./core/store/store.js";
import type { Logger } from "./log.js";

/**
 * Retention, the same on Node (hourly timer) and Workers (cron): message text older than RETENTION_DAYS, and the
 * transcripts and notes of cases closed more than CASE_RETENTION_DAYS ago, are erased. Counts are logged, nothing
 * of the people.
 */
export function retentionCutoffs(now: Date, days: number, caseDays: number): RetentionCutoffs {
  const ago = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  return { textBefore: ago(days), closedBefore: ago(caseDays), now: now.toISOString() };
}

export async function purgeExpired(store: Store, settings: { RETENTION_DAYS: number; CASE_RETENTION_DAYS: number }, logger: Logger, now = new Date()): Promise<void> {
  const purged = await store.purge(retentionCutoffs(now, settings.RETENTION_DAYS, settings.CASE_RETENTION_DAYS));
  if (purged.texts > 0 || purged.transcripts > 0) logger.info("retention.purged", purged);
}
