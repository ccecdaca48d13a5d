// Built-in template: a blue-green switch in three traffic steps. Written as a runbook in the
// dialect the importer reads (lib/domain/runbook-import.ts), so that starting from it goes through
// the same path as a pasted runbook.
import { liveChecks } from "./live-checks";
export const BLUE_GREEN_MARKDOWN = `# Blue-green cutover

The new stack (green) runs beside the old one (blue). Traffic moves to green in three steps,
10 %, 50 % then 100 %, each behind a go/no-go decision. Blue stays warm for 24 hours after the
switch, so that rolling back is one router change.

Traffic steps: 0 → 10 → 50 → 100 %.

## Preparation (24 hours before cutover)

### Green environment
- [ ] Green stack deployed with the release build
- [ ] Green instances pass their health checks
- [ ] Database connection pool on green sized like blue

### Readiness
- [ ] Smoke tests pass against green
- [ ] Load test on green at the expected peak
- [ ] Rollback rehearsed: the router sends everything back to blue
- [ ] Stakeholders notified of the cutover window

## Day of Cutover

### Phase 1: 10 % on green (T-0)

**Before the switch**:
- [ ] Backups of the production database verified
- [ ] War room bridge open, every role present

**Switch**:
- [ ] Router sends 10 % of traffic to green
- [ ] Monitoring dashboards show green receiving traffic

**Decision point**: Proceed to 50% traffic if error rate < 1% and p95 latency < 500ms for 30 minutes

### Phase 2: 50 % on green (T+0:30)

**Switch**:
- [ ] Router sends 50 % of traffic to green
- [ ] Database connections on green below 80 % of the pool

**Watch**:
- [ ] Error rates of blue and green compared on the dashboard
- [ ] No new alert fired since the 10 % step

**Decision point**: Proceed to 100% traffic if error rate < 1% and p95 latency < 500ms for 1 hour

### Phase 3: 100 % on green (T+1:30)

**Switch**:
- [ ] Router sends all traffic to green
- [ ] Blue kept running and warm for rollback

**Watch**:
- [ ] Monitoring shows no traffic left on blue
- [ ] Smoke tests pass against production

## Post-Cutover (24-48 hours)

### Clean-up
- [ ] Blue stack scaled down after 24 quiet hours
- [ ] Stakeholders told that the cutover is complete
- [ ] Runbook updated with what the team learned

${liveChecks(
  [["Error rate", "> 1%", "> 5%"], ["P95 latency", "> 500ms", "> 1000ms"], ["CPU", "> 70%", "> 90%"], ["DB connections", "> 80%", "> 95%"]],
  ["error rate > 5% for 5 minutes", "p95 latency > 1000ms for 10 minutes"],
)}`;
