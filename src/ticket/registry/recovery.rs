//! Service recovery: backups that exist long enough, restores and fixes measured against the
//! error budget, and restores that were actually tested.
//!
//! What these rules are (codes, severities, documentation); what they check is in
//! `crate::ticket::rules::recovery`.

use super::rule::Family;
use super::rule::Severity::{Error, Info, Warning};

super::rule::family! {
    Family::Recovery;
    RETENTION_SHORTER_THAN_FREQUENCY {
        code: "CF501",
        name: "retention-shorter-than-frequency",
        severity: Error,
        summary: "Backups are deleted before the next one is taken",
        docs: "## What it checks
`recovery.data.backup.retention` is at least `recovery.data.backup.frequency`.

## Why it matters
If backups are kept for less time than the interval between them, there are moments with no
backup at all, and corruption noticed a little late cannot be undone.

## Example
Fails:
```yaml
    backup:
      frequency: 1w
      retention: 3d
```

Passes:
```yaml
    backup:
      frequency: 1h
      retention: 35d
```
",
    }

    BACKUP_FREQUENCY {
        code: "CF502",
        name: "backup-frequency-too-long",
        severity: Warning,
        summary: "Backups are taken less often than once a day",
        docs: "## What it checks
`recovery.data.backup.frequency` is at most 24 hours (and not zero).

## Why it matters
The backup frequency bounds how much customer data a restore loses. Atlassian's reviewer
asks for the frequency because more than a day of lost worklogs, comments or configuration
is a serious incident for customers.

## Example
Fails:
```yaml
      frequency: 1w
```

Passes:
```yaml
      frequency: 1h
```
",
    }

    EXCEEDS_ERROR_BUDGET {
        code: "CF503",
        name: "exceeds-error-budget",
        severity: Warning,
        summary: "An outage the plan itself describes lasts longer than the whole 28-day error budget",
        docs: "## What it checks
The times in the recovery plan that are an outage's length, against the error budget:
99.9 % availability over 28 days allows 40 min 19 s of downtime. The message gives the
ratio. It reads the whole plan before it judges one value:

- `recovery.fix_lead_time` is judged only when `bad_deployment.strategy` is `roll-forward`:
  with `rollback` or `both`, a bad deployment ends when the previous version is back, not
  when a fix ships. Say how long that takes in `bad_deployment.rollback_time`; that is judged
  instead.
- `recovery.data.backup.restore_time` is judged only when
  `backup.restore_takes_app_down: true`. A restore into a side instance (point-in-time into a
  new database, then one tenant's rows copied back) keeps the app serving and costs no
  availability. When the questionnaire does not say, a slow restore gets CF508 (a note).

## Why it matters
The SLO is measured per base URL over 28 days. A restore that takes the app down for 2 hours
is three times the budget: one incident that needs it breaches the SLO and triggers
Atlassian's follow-up. A roll-forward-only plan whose fix takes longer than the budget cannot
end a bad deployment within it.

## Example
Fails:
```yaml
  bad_deployment:
    strategy: roll-forward
  fix_lead_time: 2h
```

Passes:
```yaml
  bad_deployment:
    strategy: rollback
    rollback_time: 5m
  fix_lead_time: 2h
```
",
    }

    NEVER_TESTED {
        code: "CF504",
        name: "restore-never-tested",
        severity: Warning,
        summary: "The data restore has never been tested",
        docs: "## What it checks
When the app stores data, `recovery.data.restore_testing.last_tested` gives the date of the
last restore test.

## Why it matters
The seed asks how you test your data restore process. A restore that was never rehearsed
has an unknown duration and may not work; the restore time you state is then a guess.

## Example
Fails: `restore_testing` without `last_tested`.

Passes:
```yaml
    restore_testing:
      process: |
        Every quarter we restore the latest snapshot into an isolated account ...
      interval: 90d
      last_tested: 2026-10-01
```
",
    }

    TEST_STALE {
        code: "CF505",
        name: "restore-test-stale",
        severity: Warning,
        summary: "The last restore test was more than a year ago",
        docs: "## What it checks
`recovery.data.restore_testing.last_tested` is within the last 365 days.

## Why it matters
Data volumes, infrastructure and people change in a year; a restore tested long ago says
little about how long a restore takes today.

## Example
Fails: `last_tested: 2023-05-01`.

Passes: a date within the last year, and an `interval` that keeps it there.
",
    }

    TEST_IN_FUTURE {
        code: "CF506",
        name: "restore-test-in-future",
        severity: Error,
        summary: "The last restore test is dated in the future",
        docs: "## What it checks
`recovery.data.restore_testing.last_tested` is not after today.

## Why it matters
A test that has not happened yet is not evidence; a future date is usually a planned test
written in the wrong field, or a typo in the year.

## Example
Fails: `last_tested: 2031-01-15`.

Passes: the date the last test actually ran.
",
    }

    STORES_DATA_WITHOUT_BACKUP {
        code: "CF507",
        name: "stores-data-without-backup",
        severity: Error,
        summary: "The app stores data but describes no backups, restore testing or recovery",
        docs: "## What it checks
When `recovery.data.stores_data` is `true`, `corruption_recovery`, `backup` and
`restore_testing` are required. (The schema phase reports it, at the `data` mapping.)

## Why it matters
The seed's service recovery plan asks apps that store data how they recover from lost or
corrupt data, their backup frequency and retention, how fast a restore is, and how restores
are tested.

## Example
Fails:
```yaml
  data:
    stores_data: true
```

Passes: `stores_data: true` with `corruption_recovery`, `backup` and `restore_testing`, or
`stores_data: false` for an app that keeps no data of its own.
",
    }

    RESTORE_DOWNTIME_UNSAID {
        code: "CF508",
        name: "restore-downtime-unsaid",
        severity: Info,
        summary: "A restore slower than the error budget, without saying whether the app is down meanwhile",
        docs: "## What it checks
`recovery.data.backup.restore_time` is longer than the 28-day error budget (40 min 19 s) and
`backup.restore_takes_app_down` is not given. A note: `--strict` does not fail on it.

## Why it matters
A restore is downtime only if the app is down while it runs. Most restores partners describe
are per tenant, into a side instance, and keep the app serving; some replace the live store
and take the app down. The reviewer reads the answer either way, but the arithmetic (CF503)
needs to know which.

## Example
Noted:
```yaml
      restore_time: 2h
```

Clear either way:
```yaml
      restore_time: 2h
      restore_takes_app_down: false   # restored into a new instance, tenant rows copied back
```
",
    }
}
