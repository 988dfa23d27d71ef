/** PostgreSQL on RDS: which majors are in standard support, and which instance families RDS no longer runs. */

/** PostgreSQL majors on RDS and the day their standard support ends (after it: paid Extended Support). */
// source: Amazon RDS for PostgreSQL release calendar (docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/
// postgresql-release-calendar.html), read 2026-11-21
export const POSTGRES_STANDARD_SUPPORT_ENDS: Readonly<Record<string, string>> = {
  "13": "2026-02-28",
  "14": "2027-02-28",
  "15": "2028-02-29",
  "16": "2029-02-28",
  "17": "2030-02-28",
  "18": "2031-02-28",
};

/** Instance families RDS has retired. */
// source: Amazon RDS User Guide, "Previous generation DB instance classes", read 2026-11-21
export const RETIRED_DB_FAMILIES = ["t1", "t2", "m1", "m2", "m3", "r3"];
