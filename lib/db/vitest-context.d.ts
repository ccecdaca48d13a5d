// What the vitest global setup (test-database.global.ts) provides to tests.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
