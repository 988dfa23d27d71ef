/** The database section (stage db): PostgreSQL on RDS, its size, its login and the lesson's teardown profile. */
import type { z } from "zod";
import { POSTGRES_STANDARD_SUPPORT_ENDS, RETIRED_DB_FAMILIES } from "./facts/postgres";
import { flag, pattern, section, sectionDefaults, show, wholeNumber } from "./blocks";

const postgresIdentifier = () => pattern(/^[A-Za-z][A-Za-z0-9_]{0,62}$/, "must start with a letter and hold 1 to 63 letters, digits or underscores");

export const databaseSettings = section(
  {
    engineVersion: pattern(/^\d+(\.\d+)?$/, 'must be a PostgreSQL major version such as "17", optionally with a minor ("17.6")')
      .default("17")
      .describe("PostgreSQL version on RDS; the major must be in standard support. @default \"17\""),
    instanceClass: pattern(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an RDS instance class such as "db.t4g.micro"')
      .default("db.t4g.micro")
      .describe('RDS instance class. Free tier: "db.t4g.micro" or "db.t3.micro". @default "db.t4g.micro"'),
    allocatedStorageGiB: wholeNumber(20, 65536, 20, "Encrypted gp3 storage in GiB. @default 20"),
    port: wholeNumber(1150, 65535, 5432, "Database port. @default 5432"),
    masterUsername: postgresIdentifier()
      .default("postgres")
      .describe('Master user; its password is generated and kept by RDS in Secrets Manager. @default "postgres"'),
    databaseName: postgresIdentifier()
      .default("workshop")
      .describe('Database created on the instance. @default "workshop"'),
    subnetGroupName: pattern(/^[a-z0-9][a-z0-9.\-_ ]*$/, "must be lowercase letters, digits, periods, hyphens, underscores or spaces")
      .default("main-private")
      .describe('DB subnet group name, after "<namePrefix>-<stage>-". @default "main-private"'),
    enableMultiAz: flag(false, "Multi-AZ standby; recommended for production. @default false"),
    backupRetentionDays: wholeNumber(0, 35, 1, "Automated backup retention in days. @default 1"),
    skipFinalSnapshot: flag(true, "Lesson profile: destroy without a final snapshot. @default true"),
    enableDeletionProtection: flag(false, "Lesson profile: no deletion protection, so that teardown works. @default false"),
    applyImmediately: flag(
      true,
      "Apply a change to the instance now (a class or storage change is an outage now); false defers it to the maintenance window RDS picks, and every plan shows the change until then. @default true (the lesson wants it now)",
    ),
    allowMajorVersionUpgrade: flag(
      false,
      "Let RDS upgrade to another major engineVersion in place (an outage while it upgrades); without it RDS refuses a major change. @default false",
    ),
  },
  "PostgreSQL on RDS (stage db).",
);

export type DatabaseSettings = z.output<typeof databaseSettings>;
export const DATABASE_DEFAULTS = sectionDefaults(databaseSettings);

/** A major in standard support on `today`, and an instance class RDS still runs. */
export function databaseProblems(database: DatabaseSettings, today: Date): string[] {
  const problems: string[] = [];
  const { engineVersion, instanceClass } = database;
  const major = engineVersion.split(".")[0];
  const ends = POSTGRES_STANDARD_SUPPORT_ENDS[major];
  // Support ends at the end of the given day; compare calendar days, as ISO dates compare as strings.
  const day = today.toISOString().slice(0, 10);
  const supported = Object.entries(POSTGRES_STANDARD_SUPPORT_ENDS)
    .filter(([, end]) => end >= day)
    .map(([m]) => m);
  if (!ends || ends < day) {
    problems.push(
      `database.engineVersion: ${show(engineVersion)} is not a PostgreSQL major in RDS standard support; allowed: ${supported.join(", ")}`,
    );
  }
  const family = instanceClass.split(".")[1];
  if (RETIRED_DB_FAMILIES.includes(family)) {
    problems.push(`database.instanceClass: ${show(instanceClass)} is a retired generation; use "db.t4g.micro" or "db.t3.micro" (free tier)`);
  }
  return problems;
}
