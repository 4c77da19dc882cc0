//! `cfready drill`: the email Atlassian sends when an SLO is breached, built from the
//! questionnaire before Atlassian ever sends one, so that a partner proves the generic
//! mailbox routes it into its on-call tool.
//!
//! What Atlassian publishes is the `incident-data` object's fields and types; what it does not
//! (the exact subject, the availability metric's `metricName`) is cfready's choice, named as
//! such here and in the README: the subject starts with `[DRILL]`, `metricName` is
//! [`METRIC_NAME`], the measurement is the SLO's 28 days.

use std::time::Duration;

use super::incident::{AppDetails, IncidentData, METRIC_UNIT, STATUS_ANOMALOUS};
use super::mime::Mail;
use crate::program::{AVAILABILITY_SLO_PERCENT, SLO_WINDOW};
use crate::timestamp::Timestamp;

/// cfready's choice of `metricName` for the availability SLI (Atlassian's example names an
/// older SLI, "Jira Installation Callback Success Rate").
pub const METRIC_NAME: &str = "App Availability Success Rate";

/// Where Atlassian's real breach emails come from (program facts): the drill never uses it as
/// its own sender, since a forged sender fails SPF and DMARC.
pub const ATLASSIAN_SENDER: &str = "no-reply@am.atlassian.com";

/// The default `sliValue` of a drill: under the 99.9 % SLO, as in a breach.
pub const DEFAULT_SLI: f64 = 99.8;

/// The app a drill speaks for, from the questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct App {
    pub key: String,
    pub name: String,
    pub partner: String,
    /// `app.contacts.slo_alerts`, the mailbox the drill goes to by default.
    pub slo_alerts: Option<String>,
}

impl App {
    /// The app of a questionnaire's loaded value; the missing keys when there is none.
    pub fn of(value: &serde_json::Value) -> Result<App, String> {
        let app = &value["app"];
        let text = |key: &str| app[key].as_str().map(str::to_owned);
        let (key, name, partner) = (text("key"), text("name"), text("partner"));
        let missing: Vec<&str> = [
            ("app.key", &key),
            ("app.name", &name),
            ("app.partner", &partner),
        ]
        .into_iter()
        .filter(|(_, value)| value.as_deref().is_none_or(str::is_empty))
        .map(|(key, _)| key)
        .collect();
        if !missing.is_empty() {
            return Err(format!(
                "the questionnaire has no {}: the email's incident-data needs it",
                missing.join(", ")
            ));
        }
        Ok(App {
            key: key.unwrap_or_default(),
            name: name.unwrap_or_default(),
            partner: partner.unwrap_or_default(),
            slo_alerts: app["contacts"]["slo_alerts"].as_str().map(str::to_owned),
        })
    }
}

/// What a drill is made of besides the app.
#[derive(Debug, Clone)]
pub struct DrillOptions {
    /// When the breach is said to be measured (`time`), and the email's `Date`.
    pub at: Timestamp,
    /// The `sliValue`, in percent.
    pub sli: f64,
    /// The measurement's span (`measurementDurationSeconds`).
    pub window: Duration,
    pub from: String,
    pub to: Vec<String>,
}

/// The incident data of a drill: Atlassian's fields, `incidentId` starting with `DRILL-`.
pub fn incident(app: &App, options: &DrillOptions) -> IncidentData {
    let time = options.at.to_string();
    // Atlassian writes whole seconds: `2022-03-24T15:40:00Z`.
    let time = format!("{}Z", &time[..19]);
    let compact: String = time.chars().filter(char::is_ascii_alphanumeric).collect();
    IncidentData {
        app_key: app.key.clone(),
        app_details: AppDetails {
            name: app.name.clone(),
            partner_name: app.partner.clone(),
        },
        incident_id: format!("DRILL-{compact}"),
        incident_status: STATUS_ANOMALOUS.to_owned(),
        time,
        metric_name: METRIC_NAME.to_owned(),
        metric_unit: METRIC_UNIT.to_owned(),
        measurement_duration_seconds: options.window.as_secs(),
        sli_value: options.sli,
        slo_value: AVAILABILITY_SLO_PERCENT,
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The subject: `[DRILL]` first, so that a filter, a person and an on-call tool all see it.
pub fn subject(app: &App) -> String {
    format!(
        "[DRILL] Cloud Fortified SLO breach: {METRIC_NAME} of {} (a cfready drill, not a real breach)",
        app.name
    )
}

/// The drill email: a text part and an HTML part that carries the incident data.
pub fn mail(app: &App, options: &DrillOptions) -> Mail {
    let data = incident(app, options);
    let window = crate::duration::human(options.window);
    let summary = format!(
        "{} of {} ({}) is at {} % over {window}, under its SLO of {} %.",
        data.metric_name, app.name, app.key, data.sli_value, data.slo_value
    );
    let banner = "DRILL: this is a test email sent with `cfready drill`, not a real SLO breach. It has the shape of the email Atlassian sends from no-reply@am.atlassian.com when an SLO is breached, so that you can check that your SLO-breach mailbox routes it into your on-call tool.";
    let text = format!(
        "{banner}\n\n{summary}\n\nincident-data (the JSON object Atlassian's HTML part carries):\n\n{}\n\nNothing is wrong with the app: close the alert this drill opened once it has reached the on-call engineer.\n",
        serde_json::to_string_pretty(&data).expect("incident data serializes")
    );
    let rows = [
        ("App", format!("{} ({})", app.name, app.key)),
        ("Partner", app.partner.clone()),
        ("Metric", data.metric_name.clone()),
        ("SLI", format!("{} %", data.sli_value)),
        ("SLO", format!("{} %", data.slo_value)),
        ("Measured over", window),
        ("Time", data.time.clone()),
        ("Incident", data.incident_id.clone()),
    ];
    let table: String = rows
        .iter()
        .map(|(label, value)| {
            format!(
                "<tr><th align=\"left\">{}</th><td>{}</td></tr>\n",
                escape(label),
                escape(value)
            )
        })
        .collect();
    let html = format!(
        "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n<p style=\"background:#c9372c;color:#fff;padding:8px;font-weight:bold\">DRILL - not a real SLO breach</p>\n<p>{}</p>\n<p>{}</p>\n<table>\n{table}</table>\n<script type=\"application/json\" id=\"incident-data\">\n{}\n</script>\n</body></html>\n",
        escape(&subject(app)),
        escape(banner),
        escape(&summary),
        data.script_json()
    );
    let domain = options
        .from
        .rsplit_once('@')
        .map_or("cfready.invalid", |(_, domain)| {
            domain.trim_end_matches('>')
        });
    Mail {
        from: options.from.clone(),
        to: options.to.clone(),
        subject: subject(app),
        date: options.at,
        message_id: format!("{}.{}@{domain}", data.incident_id, options.at.0),
        headers: vec![
            // RFC 3834: no vacation reply to a machine's message.
            ("Auto-Submitted".to_owned(), "auto-generated".to_owned()),
            ("X-Cfready-Drill".to_owned(), "yes".to_owned()),
        ],
        text,
        html,
    }
}

/// The default window of a drill: the SLO's 28 days.
pub const DEFAULT_WINDOW: Duration = SLO_WINDOW;

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        App {
            key: "com.acme.timesheets".into(),
            name: "Acme Timesheets for Jira".into(),
            partner: "Acme Software Ltd".into(),
            slo_alerts: Some("reliability@acme.example".into()),
        }
    }

    fn options() -> DrillOptions {
        DrillOptions {
            at: crate::timestamp::at(2026, 12, 3, 8, 35),
            sli: DEFAULT_SLI,
            window: DEFAULT_WINDOW,
            from: "reliability@acme.example".into(),
            to: vec!["reliability@acme.example".into()],
        }
    }

    #[test]
    fn the_incident_data_has_atlassians_fields_and_says_drill() {
        let data = incident(&app(), &options());
        assert_eq!(data.incident_id, "DRILL-20261203T083500Z");
        assert_eq!(data.time, "2026-12-03T08:35:00Z");
        assert_eq!(data.measurement_duration_seconds, 2_419_200);
        assert_eq!(data.slo_value, 99.9);
        let json: serde_json::Value = serde_json::from_str(&data.script_json()).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "appKey",
                "appDetails",
                "incidentId",
                "incidentStatus",
                "time",
                "metricName",
                "metricUnit",
                "measurementDurationSeconds",
                "sliValue",
                "sloValue"
            ]
        );
    }

    #[test]
    fn the_html_part_carries_what_the_reader_finds() {
        let mail = mail(&app(), &options());
        assert!(mail.subject.starts_with("[DRILL] "));
        assert!(mail.text.starts_with("DRILL: "));
        let read = super::super::incident::from_html(&mail.html).unwrap();
        assert_eq!(read, incident(&app(), &options()));
    }

    #[test]
    fn a_questionnaire_without_the_app_keys_says_which() {
        let value = serde_json::json!({"app": {"name": "A", "key": ""}});
        let error = App::of(&value).unwrap_err();
        assert!(error.contains("app.key, app.partner"), "{error}");
    }
}
