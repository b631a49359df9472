import { check } from "../core/validation";

/** Master user names RDS refuses for MySQL or PostgreSQL (compared case-insensitively). */
const RESERVED_MASTER_USERNAMES = ["admin", "root", "postgres", "rdsadmin", "mysql"];

/**
 * A master user name RDS accepts: 1–16 letters, digits or underscores starting with a letter, not a reserved name.
 * Shared by the database and by the secret that holds its credentials, so a bad name is refused where it is given.
 */
export function checkMasterUsername(field: string, username: string): void {
  check(
    /^[a-zA-Z][a-zA-Z0-9_]{0,15}$/.test(username) && !RESERVED_MASTER_USERNAMES.includes(username.toLowerCase()),
    field,
    username,
    `1–16 letters, digits or underscores starting with a letter, not a reserved name (${RESERVED_MASTER_USERNAMES.join(", ")})`,
  );
}
