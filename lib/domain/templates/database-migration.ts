// Built-in template: moving the data to a new database, with a read-only fallback.
import { liveChecks } from "./live-checks";
export const DATABASE_MIGRATION_MARKDOWN = `# Database migration with a read-only fallback

The application's data moves from the old database to the new one. Writes stop for a short
read-only window while the last changes are copied and checked; then the application writes to
the new database. The old database is kept intact and read-only: if the new one misbehaves, the
application falls back to read-only on the old database, which holds every row written before
the switch, while the team decides.

Traffic steps: 0 → 100 %.

## Preparation (72 hours before cutover)

### Schema and data
- [ ] New database provisioned with the production schema
- [ ] Full backup of the old database taken and its restore tested
- [ ] Replication from the old to the new database running, lag under 5 seconds
- [ ] Data migration dry-run completed on a copy of production

### Application
- [ ] Application build supports a read-only mode that refuses writes with a clear message
- [ ] Read-only mode tested end to end in staging
- [ ] Stakeholders notified of the read-only window

## Cutover Day

### Phase 1: Read-only window (T-0)

**Freeze writes**:
- [ ] Application switched to read-only mode
- [ ] Replication lag at zero: the last write reached the new database

**Verify data**:
- [ ] Row counts match between the old and the new database for every table
- [ ] Checksums of the critical tables match

**Decision point**: Proceed to 100% traffic on the new database if the data checks pass

### Phase 2: Writes on the new database (T+0:30)

**Switch**:
- [ ] Application connection strings point at the new database
- [ ] Read-only mode turned off: writes go to the new database
- [ ] Smoke tests of the write paths pass

**Read-only fallback**:
- [ ] Old database kept read-only and intact for the fallback
- [ ] Fallback rehearsed: the application reads from the old database in read-only mode

**Go / no-go**: Keep writes on the new database if error rate < 1% and DB connections < 80% after 2 hours

## Post-Migration (24 hours after)

### Clean-up
- [ ] Replication from the old database stopped
- [ ] Old database archived after a final backup
- [ ] Read-only mode kept in the code for the next migration

${liveChecks(
  [["Error rate", "> 1%", "> 5%"], ["P95 latency", "> 300ms", "> 1000ms"], ["DB connections", "> 80%", "> 95%"], ["Disk", "> 75%", "> 90%"]],
  ["error rate > 5% for 5 minutes", "DB connections > 95% for 5 minutes"],
)}`;
