/** Facts about aws_db_instance shared by the RDS rules. */
import type { TfSubject } from "../../types";
import { hasText } from "../../values";

/** A read replica inherits Multi-AZ/backup settings from its own configuration and source. */
export function isReadReplica(db: TfSubject): boolean {
  return hasText(db.config.replicate_source_db);
}

export function engineOf(db: TfSubject): string {
  return String(db.config.engine ?? "").toLowerCase();
}
