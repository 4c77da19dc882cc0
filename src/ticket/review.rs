//! The annual review (issue 30): Atlassian reviews every Cloud Fortified app once a year, in the
//! last week of the month it was approved, with two weeks' notice and four weeks to fix what it
//! finds. This module gives the dates from `app.approved_on`, the questionnaire's answers that
//! changed since the approved revision (answers, not YAML lines), and the findings that are new
//! since then; `report::review` writes the pack.

use std::collections::BTreeSet;
use std::time::Duration;

use serde::Serialize;
use serde_json::Value;

use crate::date::{Date, civil_from_days, days_from_civil, days_in_month};
use crate::diagnostic::Diagnostic;
use crate::program::{REVIEW_FIX_TIME, REVIEW_NOTICE, REVIEW_WEEK_DAYS};

/// When the check and the language server start reminding (an info finding), in days before
/// the review week starts; `monitor --notify` reminds at both of these, once each.
pub const REMINDER_DAYS: [i64; 2] = [30, 14];

fn days(duration: Duration) -> i64 {
    (duration.as_secs() / 86_400) as i64
}

/// The next annual review and its deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ReviewDates {
    #[serde(serialize_with = "date")]
    pub approved_on: Date,
    /// The review week: the last 7 days of the approval month, the next year it is not over.
    #[serde(serialize_with = "date")]
    pub review_start: Date,
    #[serde(serialize_with = "date")]
    pub review_end: Date,
    /// Atlassian's notice: two weeks before the review week.
    #[serde(serialize_with = "date")]
    pub notice: Date,
    /// Four weeks after the review week to fix what it found.
    #[serde(serialize_with = "date")]
    pub fix_by: Date,
    /// Days from today to the review week's start (0 or less: it has started).
    pub days_to_review: i64,
}

/// The next review of an app approved on `approved`, as of `today`: the first anniversary
/// month (a year after approval, or later) whose last week is not over.
pub fn next_review(approved: Date, today: Date) -> ReviewDates {
    let (year, month, _) = civil_from_days(approved.0);
    let mut review_year = year + 1;
    loop {
        let last = Date(days_from_civil(
            review_year,
            month,
            days_in_month(review_year, month),
        ));
        if last >= today {
            let start = Date(last.0 - i64::from(REVIEW_WEEK_DAYS) + 1);
            return ReviewDates {
                approved_on: approved,
                review_start: start,
                review_end: last,
                notice: Date(start.0 - days(REVIEW_NOTICE)),
                fix_by: Date(last.0 + days(REVIEW_FIX_TIME)),
                days_to_review: start.days_since(today),
            };
        }
        review_year += 1;
    }
}

/// `app.approved_on` of a questionnaire, when it is a date.
pub fn approved_on(value: &Value) -> Option<Date> {
    value["app"]["approved_on"].as_str().and_then(Date::parse)
}

/// One answer that differs from the approved revision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The JSON pointer of the answer (`/incident_management/detection`).
    pub pointer: String,
    /// The same, dotted: `incident_management.detection`.
    pub key: String,
    /// `added`, `removed` or `changed`.
    pub kind: &'static str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The answers that differ between the approved questionnaire and today's: a mapping is
/// compared key by key, a list of mappings item by item, and anything else (a text, a number,
/// a list of URLs) is one answer.
pub fn changes(approved: &Value, today: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    compare("", Some(approved), Some(today), &mut out);
    out
}

fn compare(pointer: &str, before: Option<&Value>, after: Option<&Value>, out: &mut Vec<Change>) {
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            // In the questionnaire's order: today's keys first, then the removed ones.
            let mut ordered: Vec<&String> = b.keys().collect();
            ordered.extend(keys.into_iter().filter(|k| !b.contains_key(*k)));
            for key in ordered {
                let child = format!("{pointer}/{}", crate::ticket::load::escape_token(key));
                compare(&child, a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b)))
            if a.iter().chain(b).any(Value::is_object) =>
        {
            for i in 0..a.len().max(b.len()) {
                compare(&format!("{pointer}/{i}"), a.get(i), b.get(i), out);
            }
        }
        (a, b) if a == b => {}
        (a, b) => out.push(Change {
            pointer: pointer.to_owned(),
            key: crate::ticket::load::dotted(pointer),
            kind: match (a, b) {
                (None, _) => "added",
                (_, None) => "removed",
                _ => "changed",
            },
            before: a.cloned(),
            after: b.cloned(),
        }),
    }
}

/// Today's findings that the approved revision did not have (by rule and place).
pub fn new_findings<'a>(approved: &[Diagnostic], today: &'a [Diagnostic]) -> Vec<&'a Diagnostic> {
    let known: BTreeSet<(&str, Option<&str>)> = approved
        .iter()
        .map(|d| (d.code, d.pointer.as_deref()))
        .collect();
    today
        .iter()
        .filter(|d| !known.contains(&(d.code, d.pointer.as_deref())))
        .collect()
}

/// What marks an answer changed since approval in the pack's ticket.
pub const MARK: &str = "(changed since approval)";

/// The questionnaire with each changed text answer marked, for the ticket of the pack. Only
/// the schema's texts and answers are marked: a duration, a URL or a choice stays as the
/// ticket's filters read it (the pack's table of changes lists them).
pub fn marked(today: &Value, changes: &[Change]) -> Value {
    let mut value = today.clone();
    for change in changes {
        if crate::ticket::schema::text_kind(&change.pointer).is_none() {
            continue;
        }
        if let Some(Value::String(text)) = value.pointer_mut(&change.pointer) {
            let trimmed = text.trim_end().len();
            text.truncate(trimmed);
            text.push(' ');
            text.push_str(MARK);
        }
    }
    value
}

fn date<S: serde::Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn day(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn the_review_falls_in_the_last_week_of_the_approval_month_with_notice_and_fix_time() {
        let dates = next_review(day("2025-03-12"), day("2026-01-10"));
        assert_eq!(dates.review_start, day("2026-03-25"));
        assert_eq!(dates.review_end, day("2026-03-31"));
        assert_eq!(dates.notice, day("2026-03-11"));
        assert_eq!(dates.fix_by, day("2026-04-28"));
        assert_eq!(dates.days_to_review, 74);
        // During the review week it is still this year's; after it, next year's.
        assert_eq!(
            next_review(day("2025-03-12"), day("2026-03-31")).review_end,
            day("2026-03-31")
        );
        assert_eq!(
            next_review(day("2025-03-12"), day("2026-04-01")).review_start,
            day("2027-03-25")
        );
        // February of a leap year ends on the 29th: the week is the 23rd to the 29th.
        let leap = next_review(day("2027-02-03"), day("2027-06-01"));
        assert_eq!(
            (leap.review_start, leap.review_end),
            (day("2028-02-23"), day("2028-02-29"))
        );
        // Approved this month: the first review is a year later, not in a few days.
        assert_eq!(
            next_review(day("2026-11-02"), day("2026-11-10")).review_start,
            day("2027-11-24")
        );
    }

    #[test]
    fn changes_are_answers_not_lines() {
        let approved = json!({"app": {"name": "A", "base_urls": ["https://a"]},
            "scalability": {"scaling_factors": [{"factor": "x", "measures": "m"}], "concurrent_users": "old"},
            "old": "gone"});
        let today = json!({"app": {"name": "A", "base_urls": ["https://a", "https://b"], "approved_on": "2026-03-12"},
            "scalability": {"scaling_factors": [{"factor": "x", "measures": "m2"}], "concurrent_users": "new"}});
        let found: Vec<(String, &str)> = changes(&approved, &today)
            .into_iter()
            .map(|c| (c.key, c.kind))
            .collect();
        assert_eq!(
            found,
            [
                ("app.base_urls".to_owned(), "changed"),
                ("app.approved_on".to_owned(), "added"),
                (
                    "scalability.scaling_factors[0].measures".to_owned(),
                    "changed"
                ),
                ("scalability.concurrent_users".to_owned(), "changed"),
                ("old".to_owned(), "removed"),
            ]
        );
        let marked = marked(&today, &changes(&approved, &today));
        assert_eq!(
            marked["scalability"]["concurrent_users"],
            "new (changed since approval)"
        );
        // Only what the schema calls a text or an answer is marked.
        assert_eq!(
            marked["scalability"]["scaling_factors"][0]["measures"],
            "m2"
        );
        assert_eq!(
            marked["app"]["approved_on"], "2026-03-12",
            "a date is not a text"
        );
    }
}
