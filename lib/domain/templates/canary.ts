// Built-in template: a canary release over four days, behind a feature flag.
import { liveChecks } from "./live-checks";
export const CANARY_MARKDOWN = `# Canary release over four days

The new release takes a growing share of traffic, one stage a day: 5 %, 25 %, 50 % then 100 %.
A feature flag guards the new code path, so that the change can be switched off for everyone
within a minute without moving traffic. Each stage ends with a go/no-go decision.

Traffic steps: 0 → 5 → 25 → 50 → 100 %.

## Preparation (72 hours before cutover)

### Feature flags
- [ ] Feature flag for the new code path created, off for everyone
- [ ] Flag kill switch tested: turning it off takes effect within a minute
- [ ] Flag targeting rules reviewed: internal users first

### Release
- [ ] Canary build deployed beside the stable release
- [ ] Smoke tests pass on the canary
- [ ] Canary dashboards compare canary and stable side by side
- [ ] Stakeholders told the schedule of the four days

## Canary Stages

### Stage 1: 5 % canary (Day 1)

**Rollout**:
- [ ] Feature flag on for internal users
- [ ] Router sends 5 % of traffic to the canary

**Watch**:
- [ ] Error rates of canary and stable compared after one hour
- [ ] No new alert on the canary overnight

**Decision point**: Proceed to 25% traffic if the canary error rate stays within 0.5% of stable

### Stage 2: 25 % canary (Day 2)

**Rollout**:
- [ ] Feature flag on for 25 % of users
- [ ] Router sends 25 % of traffic to the canary

**Watch**:
- [ ] Latency p95 of the canary within 10 % of stable
- [ ] Database load checked at 25 %

**Decision point**: Proceed to 50% traffic if error rate < 1% and p95 latency < 500ms

### Stage 3: 50 % canary (Day 3)

**Rollout**:
- [ ] Feature flag on for half of the users
- [ ] Router sends 50 % of traffic to the canary

**Watch**:
- [ ] CPU and memory of the canary below 70 % at peak
- [ ] Customer support reports no new complaints

**Decision point**: Proceed to 100% traffic if error rate < 1% and p95 latency < 500ms for a full day

### Stage 4: 100 % (Day 4)

**Rollout**:
- [ ] Feature flag on for everyone
- [ ] Router sends all traffic to the new release

**Clean-up**:
- [ ] Stable release kept on standby for 24 hours
- [ ] Feature flag removal scheduled: the new code path becomes permanent

${liveChecks(
  [["Error rate", "> 1%", "> 3%"], ["P95 latency", "> 500ms", "> 800ms"], ["CPU", "> 70%", "> 90%"], ["Memory", "> 75%", "> 90%"]],
  ["error rate > 3% for 10 minutes", "p95 latency > 800ms for 15 minutes"],
)}`;
