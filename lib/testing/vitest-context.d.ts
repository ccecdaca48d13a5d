// What the vitest global setup (test-database.global.ts) provides to tests.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated database, as the app's runtime role. */
    databaseUrl: string;
    /** The same database as its owner (the embedded superuser): creating databases, role tests. */
    ownerDatabaseUrl: string;
  }
}
