// Whether package.json's `engines.node` says the truth: it should let in exactly the Node versions
// that every installed dependency declares it runs on, no more (a promise a dependency breaks) and
// no less (a refusal nothing calls for). Checked by scripts/engines.test.ts against package-lock.json.
import semver from "semver";

/** Node versions to compare ranges on: every minor of the majors a range here can mention. */
export function probeVersions(majors: readonly number[] = [18, 19, 20, 21, 22, 23, 24, 25, 26], minors = 40): string[] {
  return majors.flatMap((major) => Array.from({ length: minors }, (_, minor) => `${major}.${minor}.0`));
}

export interface EnginesReport {
  /** Versions the declared range lets in that some dependency refuses, with the first one refusing. */
  promisedButRefused: { version: string; dependency: string; range: string }[];
  /** Versions every dependency accepts that the declared range turns away. */
  refusedWithoutCause: string[];
}

export function checkEngines(declared: string, dependencies: ReadonlyArray<{ name: string; range: string }>, versions: readonly string[] = probeVersions()): EnginesReport {
  const report: EnginesReport = { promisedButRefused: [], refusedWithoutCause: [] };
  for (const version of versions) {
    const refusing = dependencies.find((d) => !semver.satisfies(version, d.range));
    const promised = semver.satisfies(version, declared);
    if (promised && refusing) report.promisedButRefused.push({ version, dependency: refusing.name, range: refusing.range });
    if (!promised && !refusing) report.refusedWithoutCause.push(version);
  }
  return report;
}
