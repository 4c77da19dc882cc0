//! The machine-readable part of Atlassian's SLO-breach email: the HTML body holds
//! `<script type="application/json" id="incident-data">` with one JSON object (Atlassian's
//! "Connect metrics" page, "Notification data": appKey, appDetails.name,
//! appDetails.partnerName, incidentId, incidentStatus, time, metricName, metricUnit,
//! measurementDurationSeconds, sliValue, sloValue). The page links a JSON schema for it; the
//! types here are those of its published example: strings, `time` in RFC 3339, the duration a
//! whole number of seconds, the SLI and SLO numbers in percent.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::timestamp::Timestamp;

/// The `id` of the script element that carries the data.
pub const SCRIPT_ID: &str = "incident-data";

/// The only `metricUnit` Atlassian documents.
pub const METRIC_UNIT: &str = "PERCENT";

/// The only `incidentStatus` Atlassian documents (in its example).
pub const STATUS_ANOMALOUS: &str = "ANOMALOUS";

/// One incident-data object, every documented field present and of its type.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IncidentData {
    pub app_key: String,
    pub app_details: AppDetails,
    pub incident_id: String,
    pub incident_status: String,
    /// As written in the email (RFC 3339).
    pub time: String,
    pub metric_name: String,
    pub metric_unit: String,
    pub measurement_duration_seconds: u64,
    pub sli_value: f64,
    pub slo_value: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppDetails {
    pub name: String,
    pub partner_name: String,
}

impl IncidentData {
    /// When the measurement ends.
    pub fn end(&self) -> Timestamp {
        Timestamp::parse(&self.time).expect("checked when read")
    }

    /// The measurement's span.
    pub fn duration(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.measurement_duration_seconds)
    }

    /// The JSON object, as the email carries it: pretty, and safe inside a `<script>` element
    /// (`</` written `<\/`, a JSON escape that means the same).
    pub fn script_json(&self) -> String {
        serde_json::to_string_pretty(self)
            .expect("incident data serializes")
            .replace("</", "<\\/")
    }
}

/// Why an email's incident data cannot be used.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// No `<script ... id="incident-data">` in any HTML part (or no HTML part).
    Missing,
    /// The script holds something other than the documented object.
    Malformed(String),
}

/// The text of the `incident-data` script element of an HTML document, if there is one.
pub fn script_text(html: &str) -> Option<&str> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(open) = lower[from..].find("<script").map(|i| i + from) {
        let tag_end = lower[open..].find('>').map(|i| i + open)?;
        let tag = &lower[open..tag_end];
        let close = lower[tag_end..]
            .find("</script")
            .map_or(html.len(), |i| i + tag_end);
        if has_id(tag) {
            return Some(&html[tag_end + 1..close]);
        }
        from = close.max(tag_end + 1);
    }
    None
}

/// Whether a lowercased start tag has `id="incident-data"` (quoted either way, or bare).
fn has_id(tag: &str) -> bool {
    ["\"", "'", ""].iter().any(|quote| {
        let needle = format!("id={quote}{SCRIPT_ID}{quote}");
        tag.match_indices(&needle).any(|(i, _)| {
            let before = tag[..i].chars().last();
            let after = tag[i + needle.len()..].chars().next();
            before.is_some_and(char::is_whitespace)
                && (!quote.is_empty() || after.is_none_or(|c| c.is_whitespace() || c == '/'))
        })
    })
}

/// The incident data of an HTML body.
pub fn from_html(html: &str) -> Result<IncidentData, Problem> {
    let text = script_text(html).ok_or(Problem::Missing)?;
    parse(text.trim()).map_err(Problem::Malformed)
}

/// The incident data of a JSON text: every documented field, of its type.
pub fn parse(text: &str) -> Result<IncidentData, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let object = value
        .as_object()
        .ok_or("the JSON is not an object".to_owned())?;
    let mut problems = Vec::new();
    let string = |object: &Map<String, Value>, key: &str, problems: &mut Vec<String>| match object
        .get(key)
    {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            problems.push(format!("`{key}` is {}, not a string", kind(other)));
            String::new()
        }
        None => {
            problems.push(format!("`{key}` is missing"));
            String::new()
        }
    };
    let number = |key: &str, problems: &mut Vec<String>| match object.get(key) {
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(other) => {
            problems.push(format!("`{key}` is {}, not a number", kind(other)));
            f64::NAN
        }
        None => {
            problems.push(format!("`{key}` is missing"));
            f64::NAN
        }
    };
    let app_key = string(object, "appKey", &mut problems);
    let details = match object.get("appDetails") {
        Some(Value::Object(details)) => AppDetails {
            name: string(details, "name", &mut problems).to_owned(),
            partner_name: string(details, "partnerName", &mut problems),
        },
        other => {
            problems.push(match other {
                Some(other) => format!("`appDetails` is {}, not an object", kind(other)),
                None => "`appDetails` is missing".to_owned(),
            });
            AppDetails {
                name: String::new(),
                partner_name: String::new(),
            }
        }
    };
    let time = string(object, "time", &mut problems);
    if !time.is_empty() && Timestamp::parse(&time).is_none() {
        problems.push(format!("`time` is not an RFC 3339 instant: `{time}`"));
    }
    let duration = match object.get("measurementDurationSeconds") {
        Some(Value::Number(n)) => match n.as_u64() {
            Some(seconds) if seconds > 0 => seconds,
            _ => {
                problems.push(format!(
                    "`measurementDurationSeconds` is {n}, not a positive whole number"
                ));
                0
            }
        },
        Some(other) => {
            problems.push(format!(
                "`measurementDurationSeconds` is {}, not a number",
                kind(other)
            ));
            0
        }
        None => {
            problems.push("`measurementDurationSeconds` is missing".to_owned());
            0
        }
    };
    let data = IncidentData {
        app_key,
        app_details: details,
        incident_id: string(object, "incidentId", &mut problems),
        incident_status: string(object, "incidentStatus", &mut problems),
        time,
        metric_name: string(object, "metricName", &mut problems),
        metric_unit: string(object, "metricUnit", &mut problems),
        measurement_duration_seconds: duration,
        sli_value: number("sliValue", &mut problems),
        slo_value: number("sloValue", &mut problems),
    };
    for (key, value) in [("sliValue", data.sli_value), ("sloValue", data.slo_value)] {
        if value.is_finite() && !(0.0..=100.0).contains(&value) {
            problems.push(format!("`{key}` is {value}, not a percentage"));
        }
    }
    if problems.is_empty() {
        Ok(data)
    } else {
        Err(problems.join("; "))
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Atlassian's published example, as its page prints it.
    pub const EXAMPLE: &str = r#"<script type="application/json" id="incident-data">
{
  "appKey": "com.example.appkey",
  "appDetails": {
    "name": "AppName",
    "partnerName": "Atlassian"
  },
  "incidentId": "FOotlQrY5ZQ",
  "incidentStatus": "ANOMALOUS",
  "time": "2022-03-24T15:40:00Z",
  "metricName": "Jira Installation Callback Success Rate",
  "metricUnit": "PERCENT",
  "measurementDurationSeconds": 86400,
  "sliValue": 60.0,
  "sloValue": 99.0
}
</script>"#;

    #[test]
    fn atlassians_example_reads_whole() {
        let data = from_html(&format!("<html><body><p>hi</p>{EXAMPLE}</body></html>")).unwrap();
        assert_eq!(data.app_key, "com.example.appkey");
        assert_eq!(data.app_details.partner_name, "Atlassian");
        assert_eq!(data.incident_status, STATUS_ANOMALOUS);
        assert_eq!(data.measurement_duration_seconds, 86_400);
        assert_eq!(data.sli_value, 60.0);
        assert_eq!(data.slo_value, 99.0);
        assert_eq!(data.end(), crate::timestamp::at(2022, 3, 24, 15, 40));
    }

    #[test]
    fn another_script_first_and_other_quoting_still_find_it() {
        let html = format!(
            "<script>var id=\"incident-data\";</script><SCRIPT type='application/json' id='incident-data'>{}</SCRIPT>",
            &EXAMPLE[EXAMPLE.find('{').unwrap()..EXAMPLE.rfind('}').unwrap() + 1]
        );
        assert_eq!(from_html(&html).unwrap().incident_id, "FOotlQrY5ZQ");
        assert_eq!(
            from_html("<script id=\"incident-data-2\">{}</script>"),
            Err(Problem::Missing)
        );
    }

    #[test]
    fn a_missing_or_mistyped_field_is_named() {
        let json = r#"{"appKey":"k","appDetails":{"name":"n"},"incidentId":"i","incidentStatus":"ANOMALOUS","time":"yesterday","metricName":"m","metricUnit":"PERCENT","measurementDurationSeconds":"86400","sliValue":60.0}"#;
        let error = parse(json).unwrap_err();
        assert!(error.contains("`partnerName` is missing"), "{error}");
        assert!(
            error.contains("`time` is not an RFC 3339 instant"),
            "{error}"
        );
        assert!(
            error.contains("`measurementDurationSeconds` is a string, not a number"),
            "{error}"
        );
        assert!(error.contains("`sloValue` is missing"), "{error}");
        assert!(parse("{\"appKey\": ").unwrap_err().starts_with("not JSON"));
    }

    #[test]
    fn the_script_json_cannot_close_its_element() {
        let mut data = from_html(EXAMPLE).unwrap();
        data.app_details.name = "</script><b>x".into();
        let json = data.script_json();
        assert!(!json.contains("</"));
        assert_eq!(parse(&json).unwrap(), data);
    }
}
