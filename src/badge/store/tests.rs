use std::time::Duration;

use super::*;
use crate::badge::history::Observation;
use crate::timestamp::{Timestamp, at};

fn observation(app: Option<&str>, url: &str, at: Timestamp, success: bool) -> Observation {
    Observation {
        at,
        url: format!("{url}/health"),
        base_url: Some(url.to_owned()),
        success,
        failure: (!success).then(|| "status".to_owned()),
        status: Some(if success { 200 } else { 503 }),
        total_ms: Some(120),
        app: app.map(str::to_owned),
    }
}

/// A day of one URL at 60 s, failing at the given minutes.
fn day(app: Option<&str>, failing: &[u64]) -> Vec<Observation> {
    let start = at(2026, 11, 1, 0, 0);
    (0..1440)
        .map(|minute| {
            observation(
                app,
                "https://a.example",
                start.plus(Duration::from_secs(60 * minute)),
                !failing.contains(&minute),
            )
        })
        .collect()
}

#[test]
fn a_window_reads_back_what_was_appended_and_the_hours_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut writer = Writer::open(&path).unwrap();
    assert_eq!(writer.append(&day(None, &[61, 62])).unwrap(), 1440);
    drop(writer);
    let reader = Reader::open(&path).unwrap();
    let series = reader.series().unwrap();
    assert_eq!(series.len(), 1);
    assert_eq!(series[0].url, "https://a.example/health");
    let (from, to) = (at(2026, 11, 1, 1, 0), at(2026, 11, 1, 2, 0));
    let mut points = Vec::new();
    reader
        .points(series[0].id, from, to, &mut |p| points.push(p))
        .unwrap();
    assert_eq!(points.len(), 60, "[01:00, 02:00) holds 60 minutes");
    assert_eq!(points.iter().filter(|p| !p.success()).count(), 2);
    let failures = reader
        .failures(series[0].id, at(2026, 11, 1, 0, 0), at(2026, 11, 2, 0, 0))
        .unwrap();
    assert_eq!(
        failures.iter().map(|p| p.at).collect::<Vec<_>>(),
        [at(2026, 11, 1, 1, 1), at(2026, 11, 1, 1, 2)]
    );
    let hours = reader
        .hours(series[0].id, at(2026, 11, 1, 0, 0), at(2026, 11, 2, 0, 0))
        .unwrap();
    assert_eq!(hours.len(), 24);
    assert_eq!(hours[1], (at(2026, 11, 1, 1, 0), 60, 58));
    let found = reader.verify().unwrap();
    assert_eq!(found.observations, 1440);
    assert!(found.damage.is_empty(), "{:?}", found.damage);
}

#[test]
fn appending_the_same_observations_twice_adds_them_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut writer = Writer::open(&path).unwrap();
    assert_eq!(writer.append(&day(None, &[5])).unwrap(), 1440);
    assert_eq!(writer.append(&day(None, &[5])).unwrap(), 0);
    drop(writer);
    let reader = Reader::open(&path).unwrap();
    assert!(reader.verify().unwrap().damage.is_empty());
}

#[test]
fn apps_with_the_same_url_are_separate_series() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut writer = Writer::open(&path).unwrap();
    writer.append(&day(Some("com.acme.a"), &[])).unwrap();
    writer.append(&day(Some("com.acme.b"), &[])).unwrap();
    drop(writer);
    let apps: Vec<String> = Reader::open(&path)
        .unwrap()
        .series()
        .unwrap()
        .into_iter()
        .map(|s| s.app)
        .collect();
    assert_eq!(apps, ["com.acme.a", "com.acme.b"]);
}

#[test]
fn a_second_writer_is_refused_while_the_first_lives() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let first = Writer::open(&path).unwrap();
    let second = Writer::open(&path).unwrap_err();
    assert!(matches!(second, StoreError::Locked { .. }), "{second}");
    assert!(second.to_string().contains("one monitor per store"));
    drop(first);
    Writer::open(&path).unwrap();
}

#[test]
fn a_store_of_a_newer_format_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut writer = Writer::open(&path).unwrap();
    writer.append(&day(None, &[])).unwrap();
    drop(writer);
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch("PRAGMA user_version = 7; PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    for error in [
        Writer::open(&path).unwrap_err(),
        Reader::open(&path).err().unwrap(),
    ] {
        assert!(
            matches!(error, StoreError::Newer { found: 7, .. }),
            "{error}"
        );
        assert!(error.to_string().contains("left untouched"));
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_that_is_not_a_store_is_refused_with_what_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("h.jsonl");
    std::fs::write(&jsonl, day(None, &[])[0].line()).unwrap();
    let error = Writer::open(&jsonl).unwrap_err();
    assert!(
        error.to_string().contains("cfready history import"),
        "{error}"
    );
    assert_eq!(
        std::fs::read(&jsonl).unwrap(),
        day(None, &[])[0].line().as_bytes()
    );
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x)")
        .unwrap();
    let error = Reader::open(&other).err().unwrap();
    assert!(error.to_string().contains("of something else"), "{error}");
    let missing = Reader::open(&dir.path().join("none.db")).err().unwrap();
    assert!(matches!(missing, StoreError::Missing { .. }));
}

#[test]
fn a_round_after_the_clock_went_back_is_written_just_after_the_last() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut writer = Writer::open(&path).unwrap();
    writer.append(&day(None, &[])).unwrap();
    let last = at(2026, 11, 1, 23, 59);
    let (written, step) = writer.round_time(at(2026, 11, 1, 12, 0));
    assert_eq!(written, Timestamp(last.0 + 1));
    assert_eq!(step.unwrap().clock, at(2026, 11, 1, 12, 0));
    let (written, step) = writer.round_time(at(2026, 11, 2, 0, 0));
    assert_eq!((written, step), (at(2026, 11, 2, 0, 0), None));
}

#[test]
fn a_store_moved_away_is_noticed_and_a_new_one_started_at_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut writer = Writer::open(&path).unwrap();
    writer.append(&day(None, &[])).unwrap();
    assert_eq!(writer.check_in_place(), Ok(()));
    std::fs::rename(&path, dir.path().join("moved.db")).unwrap();
    assert_eq!(
        writer.check_in_place(),
        Err("was moved or deleted".to_owned())
    );
    writer.reopen().unwrap();
    assert_eq!(writer.check_in_place(), Ok(()));
    let later = observation(None, "https://a.example", at(2026, 11, 2, 0, 0), true);
    assert_eq!(writer.append(&[later]).unwrap(), 1);
    drop(writer);
    let found = Reader::open(&path).unwrap().verify().unwrap();
    assert_eq!(found.observations, 1);
    let moved = Reader::open(&dir.path().join("moved.db"))
        .unwrap()
        .verify()
        .unwrap();
    assert_eq!(moved.observations, 1440, "the moved file keeps what it had");
}

#[test]
fn prune_deletes_whole_hours_before_the_cut() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut writer = Writer::open(&path).unwrap();
    writer.append(&day(None, &[])).unwrap();
    // 12:30 cuts inside an hour: the hour is kept whole.
    assert_eq!(writer.prune(at(2026, 11, 1, 12, 30)).unwrap(), 12 * 60);
    drop(writer);
    let reader = Reader::open(&path).unwrap();
    let found = reader.verify().unwrap();
    assert_eq!(found.observations, 12 * 60);
    assert_eq!(found.first, Some(at(2026, 11, 1, 12, 0)));
    assert!(found.damage.is_empty(), "{:?}", found.damage);
}

#[test]
fn verify_reports_counts_that_do_not_add_up_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut writer = Writer::open(&path).unwrap();
    writer.append(&day(None, &[])).unwrap();
    drop(writer);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("UPDATE hours SET good = good - 1 WHERE hour % 24 = 3")
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let found = Reader::open(&path).unwrap().verify().unwrap();
    assert_eq!(found.damage.len(), 1, "{:?}", found.damage);
    assert!(found.damage[0].contains("60 observations (60 good)"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn import_then_export_gives_the_v1_lines_back_and_a_second_import_adds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let mut observations = day(None, &[100, 101]);
    observations.extend(day(None, &[]).into_iter().map(|mut o| {
        o.url = "https://b.example/health".to_owned();
        o.base_url = Some("https://b.example".to_owned());
        o
    }));
    observations.sort_by_key(|o| o.at);
    let text: String = observations.iter().map(Observation::line).collect();
    let mut writer = Writer::open(&path).unwrap();
    let summary = import_jsonl("h.jsonl", text.as_bytes(), &mut writer, None, &mut |_| {}).unwrap();
    assert_eq!(
        (summary.lines, summary.added, summary.already),
        (2880, 2880, 0)
    );
    let again = import_jsonl("h.jsonl", text.as_bytes(), &mut writer, None, &mut |_| {}).unwrap();
    assert_eq!((again.added, again.already), (0, 2880));
    drop(writer);
    let mut out = Vec::new();
    let exported = export_jsonl(&Reader::open(&path).unwrap(), &mut out).unwrap();
    assert_eq!(exported.observations, 2880);
    assert_eq!(String::from_utf8(out).unwrap(), text);
}

fn forge_count(
    point: i64,
    at: Timestamp,
    function: &str,
    invocations: f64,
    errors: f64,
) -> ForgeCount {
    ForgeCount {
        point,
        at,
        function: Some(function.to_owned()),
        invocations,
        errors,
    }
}

#[test]
fn forge_polls_add_their_points_once_and_resume_where_the_last_ended() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    let app = "ari:cloud:ecosystem::app/8ce114f4-d82c-45e2-b4fb-c6a0751d7d57";
    let mut writer = ForgeWriter::open(&path).unwrap();
    assert_eq!(writer.resume(app).unwrap(), None);
    let (t0, t15, t30) = (
        at(2026, 12, 6, 11, 0),
        at(2026, 12, 6, 11, 15),
        at(2026, 12, 6, 11, 30),
    );
    let poll = |start, end| ForgePoll {
        start,
        end,
        polled_at: end,
    };
    let first = [
        forge_count(1, t0, "f", 100.0, 0.0),
        forge_count(2, t0, "f", 0.0, 3.0),
        forge_count(3, t15, "g", 50.0, 0.0),
    ];
    assert_eq!(
        writer.append(app, poll(t0, t15), &first).unwrap(),
        ForgeAdded {
            points: 3,
            duplicates: 0
        }
    );
    // The next answer repeats the point on the edge (identity 3): it counts once.
    let second = [
        forge_count(3, t15, "g", 50.0, 0.0),
        forge_count(4, t15.plus(Duration::from_secs(60)), "g", 10.0, 1.0),
    ];
    assert_eq!(
        writer.append(app, poll(t15, t30), &second).unwrap(),
        ForgeAdded {
            points: 1,
            duplicates: 1
        }
    );
    assert_eq!(writer.resume(app).unwrap(), Some(t30));
    drop(writer);
    // A second poller is refused while one lives; a health check monitor is not.
    let _poller = ForgeWriter::open(&path).unwrap();
    assert!(matches!(
        ForgeWriter::open(&path),
        Err(StoreError::Locked { .. })
    ));
    let _monitor = Writer::open(&path).unwrap();

    let reader = Reader::open(&path).unwrap();
    assert_eq!(reader.forge_apps().unwrap(), [app]);
    let hours = reader
        .forge_hours(app, at(2026, 12, 6, 0, 0), at(2026, 12, 7, 0, 0))
        .unwrap();
    let sums: Vec<(Option<&str>, f64, f64)> = hours
        .iter()
        .map(|h| (h.function.as_deref(), h.invocations, h.errors))
        .collect();
    assert_eq!(sums, [(Some("f"), 100.0, 3.0), (Some("g"), 60.0, 1.0)]);
    assert_eq!(
        reader
            .forge_covered(app, at(2026, 12, 6, 0, 0), at(2026, 12, 7, 0, 0))
            .unwrap(),
        [(t0, t30)]
    );
    assert_eq!(reader.forge_last(app).unwrap(), Some(t30));
}

#[test]
fn a_format_1_store_is_read_as_it_is_and_gains_the_forge_tables_when_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.db");
    {
        let mut writer = Writer::open(&path).unwrap();
        writer.append(&day(None, &[])).unwrap();
    }
    // Make it what format 1 wrote: no Forge tables, user_version 1.
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "DROP TABLE forge_hours; DROP TABLE forge_polls; DROP TABLE forge_seen;
                 PRAGMA user_version = 1; PRAGMA wal_checkpoint(TRUNCATE);",
            )
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let reader = Reader::open(&path).unwrap();
    assert!(reader.forge_apps().unwrap().is_empty());
    assert_eq!(reader.forge_last("x").unwrap(), None);
    drop(reader);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "reading changes nothing"
    );
    let mut writer = ForgeWriter::open(&path).unwrap();
    let t = at(2026, 12, 6, 11, 0);
    writer
        .append(
            "x",
            ForgePoll {
                start: t,
                end: t.plus(Duration::from_secs(900)),
                polled_at: t,
            },
            &[forge_count(1, t, "f", 1.0, 0.0)],
        )
        .unwrap();
    let version: i64 = rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap();
    assert_eq!(version, FORMAT);
    // The observations are still there.
    let reader = Reader::open(&path).unwrap();
    assert_eq!(reader.verify().unwrap().observations, 1440);
}
