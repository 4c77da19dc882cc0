//! The questionnaire as typed data, for the readiness rules and the ticket.
//!
//! Built from the loaded value after schema validation. A questionnaire with schema errors still
//! yields a model: every field is optional and lenient (a value of the wrong shape becomes
//! `None`), so each rule runs on whatever parts of the file are well formed.

use serde::Deserialize;
use serde::de::{DeserializeOwned, Deserializer};
use serde_json::Value;

/// Deserialize a field, turning a value of the wrong shape into `None` instead of an error.
fn lenient<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(serde_json::from_value(value).ok())
}

/// A list whose well-formed items are kept and the others dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Items<T>(pub Vec<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<Value>::deserialize(deserializer)?;
        Ok(Items(
            items
                .into_iter()
                .filter_map(|item| serde_json::from_value(item).ok())
                .collect(),
        ))
    }
}

impl<T> std::ops::Deref for Items<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.0
    }
}

macro_rules! model {
    ($(#[$meta:meta])* $name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Deserialize)]
        pub struct $name {
            $(
                #[serde(default, deserialize_with = "lenient")]
                pub $field: Option<$ty>,
            )*
        }
    };
}

macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)*
        }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }
    };
}

choice!(Framework { Connect = "connect", Forge = "forge" });
choice!(Backoff {
    ExponentialJitter = "exponential-jitter",
    Exponential = "exponential",
    Fixed = "fixed",
    None = "none",
});
choice!(Strategy { Rollback = "rollback", RollForward = "roll-forward", Both = "both" });
choice!(Coverage {
    TwentyFourSeven = "24x7",
    BusinessHours = "business-hours",
    ExtendedHours = "extended-hours",
});
choice!(Channel {
    Monitoring = "monitoring",
    SyntheticTests = "synthetic-tests",
    HealthCheck = "health-check",
    ErrorTracking = "error-tracking",
    SupportTickets = "support-tickets",
    CustomerReports = "customer-reports",
});

model!(
    /// A whole questionnaire, format version 1.
    Questionnaire {
        version: u64,
        app: App,
        scalability: Scalability,
        dfr_testing: DfrTesting,
        recovery: Recovery,
        incident_management: IncidentManagement,
        commitments: Commitments,
    }
);

model!(App {
    name: String,
    key: String,
    framework: Framework,
    products: Items<String>,
    partner: String,
    contacts: Contacts,
    base_urls: Items<String>,
    health_check: HealthCheck,
    excluded_instances: Items<String>,
    descriptor: String,
    manifest: String,
    connect_key: String,
    approved_on: String,
});

model!(Contacts {
    slo_alerts: String,
    support: String
});
model!(HealthCheck {
    path: String,
    checks_dependencies: bool,
    descriptor_path: String,
});

model!(Scalability {
    scaling_factors: Items<ScalingFactor>,
    concurrent_users: String,
    large_datasets: String,
    distributed_users: String,
    rate_limits: RateLimits,
    testing: String,
});

model!(ScalingFactor {
    factor: String,
    description: String
});
model!(RateLimits {
    approach: String,
    honours_retry_after: bool,
    backoff: Backoff,
    max_retries: i64,
});

model!(DfrTesting {
    instances: Items<String>,
    pre_deployment: String,
    post_deployment: String,
    synthetic_tests: SyntheticTests,
});

model!(SyntheticTests {
    tool: String,
    interval: String,
    scenarios: Items<String>,
});

model!(Recovery {
    bad_deployment: BadDeployment,
    fix_lead_time: String,
    data: RecoveryData,
});

model!(BadDeployment {
    strategy: Strategy,
    process: String,
    rollback_time: String,
});
model!(RecoveryData {
    stores_data: bool,
    corruption_recovery: String,
    backup: Backup,
    restore_testing: RestoreTesting,
});
model!(Backup {
    frequency: String,
    retention: String,
    restore_time: String,
    restore_takes_app_down: bool,
});
model!(RestoreTesting {
    process: String,
    interval: String,
    last_tested: String
});

model!(IncidentManagement {
    availability: Availability,
    detection: Detection,
    alerts: Items<Alert>,
    team_communication: String,
    customer_communication: String,
    status_page: String,
});

model!(Availability {
    coverage: Coverage,
    hours: Hours,
    timezone: String,
    notification: String,
    out_of_hours: OutOfHours,
});
model!(OutOfHours {
    paged: bool,
    acknowledge_within: String,
});

/// `hours`: one range such as `Mon-Fri 08:00-18:00`, or a list of ranges.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hours(pub Vec<String>);

impl<'de> Deserialize<'de> for Hours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            One(String),
            Many(Vec<String>),
        }
        Ok(Hours(match OneOrMany::deserialize(deserializer)? {
            OneOrMany::One(range) => vec![range],
            OneOrMany::Many(ranges) => ranges,
        }))
    }
}
model!(Detection {
    channels: Items<Channel>,
    description: String,
});
model!(Alert {
    metric: String,
    threshold: String,
    notifies: String
});

model!(Commitments {
    incident_process_reviewed: bool,
    developer_console_verified: bool,
    slo_breach_emails: bool,
    deprecation_notices: String,
});

impl Questionnaire {
    /// The typed view of a loaded value. Never fails: what does not fit is `None`.
    pub fn from_value(value: &Value) -> Questionnaire {
        Questionnaire::deserialize(value).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_field_of_the_wrong_shape_does_not_hide_its_neighbours() {
        let model = Questionnaire::from_value(&json!({
            "scalability": {
                "rate_limits": {"backoff": "linear", "max_retries": 4, "honours_retry_after": "yes"},
                "scaling_factors": [{"factor": "queues", "description": "x"}, "oops"],
            }
        }));
        let scalability = model.scalability.unwrap();
        let rate_limits = scalability.rate_limits.unwrap();
        assert_eq!(rate_limits.backoff, None);
        assert_eq!(rate_limits.honours_retry_after, None);
        assert_eq!(rate_limits.max_retries, Some(4));
        assert_eq!(scalability.scaling_factors.unwrap().len(), 1);
    }

    #[test]
    fn choices_read_their_yaml_spelling() {
        let model = Questionnaire::from_value(&json!({
            "incident_management": {"availability": {"coverage": "24x7"}}
        }));
        let coverage = model
            .incident_management
            .unwrap()
            .availability
            .unwrap()
            .coverage;
        assert_eq!(coverage, Some(Coverage::TwentyFourSeven));
        assert_eq!(Coverage::TwentyFourSeven.as_str(), "24x7");
    }
}
