//! Service recovery: backups that exist long enough, restores and fixes measured against the
//! error budget, and restores that were actually tested.

use std::time::Duration;

use super::context::Context;
use crate::date::Date;
use crate::diagnostic::Diagnostic;
use crate::duration::{self, human, ratio};
use crate::program::{AVAILABILITY_SLO_PERCENT, error_budget};
use crate::ticket::model::{Backup, Recovery, RecoveryData, RestoreTesting, Strategy};
use crate::ticket::registry::recovery::{
    BACKUP_FREQUENCY, EXCEEDS_ERROR_BUDGET, NEVER_TESTED, RESTORE_DOWNTIME_UNSAID,
    RETENTION_SHORTER_THAN_FREQUENCY, TEST_IN_FUTURE, TEST_STALE,
};

/// Backups taken less often than this lose more than a day of customer data.
pub const MAX_BACKUP_FREQUENCY: Duration = Duration::from_secs(24 * 60 * 60);
/// A restore test older than this (in days) no longer says much about today's restore.
pub const MAX_RESTORE_TEST_AGE_DAYS: i64 = 365;

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

/// What a recovery answer says when its restore keeps the app serving: a restore into another
/// instance or database, or of one tenant's data, or no downtime said outright.
const RESTORE_BESIDE_LIVE: &[&str] = &[
    "separate instance",
    "new instance",
    "side instance",
    "another instance",
    "parallel instance",
    "separate database",
    "new database",
    "separate cluster",
    "new cluster",
    "scratch",
    "per tenant",
    "per-tenant",
    "single tenant",
    "one tenant",
    "affected tenant",
    "keeps serving",
    "keep serving",
    "stays up",
    "stays online",
    "remains available",
    "without downtime",
    "no downtime",
    "zero downtime",
    "copy back",
    "copied back",
];

/// Whether the plan's own words say the restore runs beside the live store (a heuristic that
/// only ever silences CF508, a note: it never raises a finding).
fn restores_beside_live(data: &RecoveryData) -> bool {
    let texts = [
        data.corruption_recovery.as_deref(),
        data.restore_testing
            .as_ref()
            .and_then(|t| t.process.as_deref()),
    ];
    texts.into_iter().flatten().any(|text| {
        let lower = text.to_lowercase();
        RESTORE_BESIDE_LIVE.iter().any(|cue| lower.contains(cue))
    })
}

pub fn check(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(recovery) = &context.questionnaire.recovery else {
        return;
    };
    // The budget arithmetic (CF503, CF508) applies to an app whose availability is measured.
    if context.measured() {
        deployment_within_budget(context, recovery, out);
    }
    let Some(data) = &recovery.data else { return };
    if data.stores_data != Some(true) {
        return;
    }
    if let Some(backup) = &data.backup {
        retention_shorter_than_frequency(context, backup, out);
        backup_frequency(context, backup, out);
        if context.measured() {
            restore_time(context, data, backup, out);
        }
    }
    if let Some(testing) = &data.restore_testing {
        restore_tested(context, testing, out);
    }
}

/// CF503 for a bad deployment: it lasts until the previous version is back (rollback) or the
/// fix ships (roll-forward only): the fix lead time is an outage's length only without a
/// rollback.
fn deployment_within_budget(context: &Context<'_>, recovery: &Recovery, out: &mut Vec<Diagnostic>) {
    let strategy = recovery.bad_deployment.as_ref().and_then(|b| b.strategy);
    if strategy == Some(Strategy::RollForward)
        && let Some((text, took)) = duration::field(recovery.fix_lead_time.as_deref())
    {
        budget_check(
            context,
            out,
            "/recovery/fix_lead_time",
            "fix_lead_time",
            text,
            took,
            "with roll-forward only, an outage that needs a code fix outlasts the budget",
        );
    }
    if matches!(strategy, Some(Strategy::Rollback | Strategy::Both))
        && let Some((text, took)) = duration::field(
            recovery
                .bad_deployment
                .as_ref()
                .and_then(|b| b.rollback_time.as_deref()),
        )
    {
        budget_check(
            context,
            out,
            "/recovery/bad_deployment/rollback_time",
            "rollback_time",
            text,
            took,
            "a bad deployment outlasts the budget before the previous version is back",
        );
    }
}

const BACKUP: &str = "/recovery/data/backup";

/// Backups kept for less time than the time between them.
fn retention_shorter_than_frequency(
    context: &Context<'_>,
    backup: &Backup,
    out: &mut Vec<Diagnostic>,
) {
    let frequency = duration::field(backup.frequency.as_deref());
    let retention = duration::field(backup.retention.as_deref());
    if let (Some((every, frequency)), Some((kept, retention))) = (frequency, retention)
        && retention < frequency
    {
        out.push(
            context
                .at(
                    &RETENTION_SHORTER_THAN_FREQUENCY,
                    &format!("{BACKUP}/retention"),
                    format!("backups are kept for {kept} but taken every {every}: for a while there is no backup at all"),
                )
                .help("keep each backup at least until the next one, and long enough to notice corruption (35d is common)"),
        );
    }
}

/// Backups taken less often than daily, or at a frequency of zero.
fn backup_frequency(context: &Context<'_>, backup: &Backup, out: &mut Vec<Diagnostic>) {
    if let Some((every, frequency)) = duration::field(backup.frequency.as_deref())
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
                .at(&BACKUP_FREQUENCY, &format!("{BACKUP}/frequency"), message)
                .help(format!(
                    "back up at least every {}",
                    human(MAX_BACKUP_FREQUENCY)
                )),
        );
    }
}

/// CF503 for a restore that takes the app down; CF508 when a restore longer than the budget
/// does not say whether it does.
fn restore_time(
    context: &Context<'_>,
    data: &RecoveryData,
    backup: &Backup,
    out: &mut Vec<Diagnostic>,
) {
    let Some((text, took)) = duration::field(backup.restore_time.as_deref()) else {
        return;
    };
    match backup.restore_takes_app_down {
        Some(true) => budget_check(
            context,
            out,
            &format!("{BACKUP}/restore_time"),
            "restore_time",
            text,
            took,
            "a restore that takes the app down would breach the SLO on its own",
        ),
        Some(false) => {}
        None if took > error_budget() && !restores_beside_live(data) => out.push(
            context
                .at(
                    &RESTORE_DOWNTIME_UNSAID,
                    &format!("{BACKUP}/restore_time"),
                    format!(
                        "restore_time {text} is longer than the 28-day error budget of {}: say whether the app is down while it runs",
                        human(error_budget())
                    ),
                )
                .help("add `restore_takes_app_down: false` for a restore into a side instance that keeps the app serving, or `true` if it replaces the live store"),
        ),
        None => {}
    }
}

/// A restore never tested, tested on a date after today, or tested more than a year ago.
fn restore_tested(context: &Context<'_>, testing: &RestoreTesting, out: &mut Vec<Diagnostic>) {
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
