//! Service recovery: backups that exist long enough, restores and fixes measured against the
//! error budget, and restores that were actually tested.

use std::time::Duration;

use super::{Context, Family, Rule};
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity::{Error, Warning};
use crate::duration::{self, human, ratio};
use crate::program::{AVAILABILITY_SLO_PERCENT, error_budget};

/// Backups taken less often than this lose more than a day of customer data.
pub const MAX_BACKUP_FREQUENCY: Duration = Duration::from_secs(24 * 60 * 60);
/// A restore test older than this (in days) no longer says much about today's restore.
pub const MAX_RESTORE_TEST_AGE_DAYS: i64 = 365;

pub const RETENTION_SHORTER_THAN_FREQUENCY: Rule = Rule {
    code: "CF501",
    name: "retention-shorter-than-frequency",
    severity: Error,
    family: Family::Recovery,
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
};

pub const BACKUP_FREQUENCY: Rule = Rule {
    code: "CF502",
    name: "backup-frequency-too-long",
    severity: Warning,
    family: Family::Recovery,
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
};

pub const EXCEEDS_ERROR_BUDGET: Rule = Rule {
    code: "CF503",
    name: "exceeds-error-budget",
    severity: Warning,
    family: Family::Recovery,
    summary: "A restore or a fix takes longer than the whole 28-day error budget",
    docs: "## What it checks
`recovery.data.backup.restore_time` and `recovery.fix_lead_time` against the error budget:
99.9 % availability over 28 days allows 40 min 19 s of downtime. The message gives the
ratio.

## Why it matters
The SLO is measured per base URL over 28 days. A restore that takes 2 hours is three times
the budget: one incident that needs it breaches the SLO and triggers Atlassian's follow-up.
A fix lead time beyond the budget means an outage that needs a code fix cannot end within
it.

## Example
Fails:
```yaml
  fix_lead_time: 2h
```

Passes:
```yaml
  fix_lead_time: 30m
```
",
};

pub const NEVER_TESTED: Rule = Rule {
    code: "CF504",
    name: "restore-never-tested",
    severity: Warning,
    family: Family::Recovery,
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
};

pub const TEST_STALE: Rule = Rule {
    code: "CF505",
    name: "restore-test-stale",
    severity: Warning,
    family: Family::Recovery,
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
};

pub const TEST_IN_FUTURE: Rule = Rule {
    code: "CF506",
    name: "restore-test-in-future",
    severity: Error,
    family: Family::Recovery,
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
};

pub const STORES_DATA_WITHOUT_BACKUP: Rule = Rule {
    code: "CF507",
    name: "stores-data-without-backup",
    severity: Error,
    family: Family::Recovery,
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
};

pub const RULES: &[&Rule] = &[
    &RETENTION_SHORTER_THAN_FREQUENCY,
    &BACKUP_FREQUENCY,
    &EXCEEDS_ERROR_BUDGET,
    &NEVER_TESTED,
    &TEST_STALE,
    &TEST_IN_FUTURE,
    &STORES_DATA_WITHOUT_BACKUP,
];

fn budget_check(
    context: &Context<'_>,
    out: &mut Vec<Diagnostic>,
    pointer: &str,
    field: &str,
    text: &str,
    took: Duration,
    consequence: &str,
) {
    let budget = error_budget();
    if took > budget {
        out.push(
            context
                .at(
                    &EXCEEDS_ERROR_BUDGET,
                    pointer,
                    format!(
                        "{field} {text} is {} the 28-day error budget of {} at {} %: {consequence}",
                        ratio(took, budget),
                        human(budget),
                        AVAILABILITY_SLO_PERCENT
                    ),
                )
                .help(format!(
                    "bring it under {} or explain how availability is kept meanwhile",
                    human(budget)
                )),
        );
    }
}

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(recovery) = &context.questionnaire.recovery else {
        return;
    };
    if let Some((text, took)) = duration::field(recovery.fix_lead_time.as_deref()) {
        budget_check(
            context,
            out,
            "/recovery/fix_lead_time",
            "fix_lead_time",
            text,
            took,
            "an outage that needs a code fix outlasts the budget",
        );
    }
    let Some(data) = &recovery.data else { return };
    if data.stores_data != Some(true) {
        return;
    }
    if let Some(backup) = &data.backup {
        const BASE: &str = "/recovery/data/backup";
        let frequency = duration::field(backup.frequency.as_deref());
        let retention = duration::field(backup.retention.as_deref());
        if let (Some((every, frequency)), Some((kept, retention))) = (frequency, retention)
            && retention < frequency
        {
            out.push(
                context
                    .at(
                        &RETENTION_SHORTER_THAN_FREQUENCY,
                        &format!("{BASE}/retention"),
                        format!("backups are kept for {kept} but taken every {every}: for a while there is no backup at all"),
                    )
                    .help("keep each backup at least until the next one, and long enough to notice corruption (35d is common)"),
            );
        }
        if let Some((every, frequency)) = frequency
            && (frequency > MAX_BACKUP_FREQUENCY || frequency.is_zero())
        {
            let message = if frequency.is_zero() {
                "a backup frequency of zero is not a schedule".to_owned()
            } else {
                format!(
                    "backups are taken every {every}: a restore could lose {} of customer data",
                    human(frequency)
                )
            };
            out.push(
                context
                    .at(&BACKUP_FREQUENCY, &format!("{BASE}/frequency"), message)
                    .help(format!(
                        "back up at least every {}",
                        human(MAX_BACKUP_FREQUENCY)
                    )),
            );
        }
        if let Some((text, took)) = duration::field(backup.restore_time.as_deref()) {
            budget_check(
                context,
                out,
                &format!("{BASE}/restore_time"),
                "restore_time",
                text,
                took,
                "a single full restore would breach the SLO",
            );
        }
    }
    if let Some(testing) = &data.restore_testing {
        const BASE: &str = "/recovery/data/restore_testing";
        match testing.last_tested.as_deref().map(|t| (t, Date::parse(t))) {
            None => out.push(
                context
                    .at_key(&NEVER_TESTED, BASE, "the data restore has never been tested (no `last_tested` date)")
                    .help("rehearse a restore, record how long it took, and add `last_tested: YYYY-MM-DD`"),
            ),
            Some((text, Some(date))) => {
                let age = context.today.days_since(date);
                if age < 0 {
                    out.push(
                        context
                            .at(
                                &TEST_IN_FUTURE,
                                &format!("{BASE}/last_tested"),
                                format!("the last restore test is dated {text}, {} days after today ({})", -age, context.today),
                            )
                            .help("give the date the last test actually ran"),
                    );
                } else if age > MAX_RESTORE_TEST_AGE_DAYS {
                    out.push(
                        context
                            .at(
                                &TEST_STALE,
                                &format!("{BASE}/last_tested"),
                                format!("the last restore test was {age} days ago ({text}), more than a year"),
                            )
                            .help("rehearse the restore again and record how long it took"),
                    );
                }
            }
            Some((_, None)) => {}
        }
    }
}
