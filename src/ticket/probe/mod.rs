//! Stage 4: the health check probed exactly as Atlassian's monitor requests it.
//!
//! For every base URL: `GET {base_url}{health_path}`, no credentials, no cookies, no proxy,
//! redirects not followed, a fresh connection per request, and the whole response within the
//! program limit (3 s). Success is status 200 within the limit, nothing else. Hosts the
//! monitor could not reach (loopback, private, link-local) are refused unless allowed, and
//! that is checked on the addresses a name resolves to, which are then the only ones used.
//!
//! `request` sends one request and judges it, `result` holds what came of it, `findings`
//! turns results into diagnostics; this file runs a probe of a questionnaire or of URLs.

pub mod cert;
pub mod findings;
mod request;
mod result;

use std::sync::Arc;

pub use result::{
    Attempt, BODY_CAP, Failure, Latency, ProbeOptions, Target, TargetResult, TlsSummary,
};

use crate::diagnostic::Diagnostic;
use crate::ticket::health_check::{Kind, targets_from};
use crate::ticket::lint::{self, FileReport, LintOptions};
use crate::ticket::registry::app::CONNECT_WITHOUT_HEALTH_CHECK;
use crate::ticket::registry::probe::FORGE_NOTHING_TO_PROBE;

/// What `cfready probe` found: a report per questionnaire or per URL (its findings), and the
/// probe's results.
#[derive(Debug)]
pub struct ProbeRun {
    pub reports: Vec<FileReport>,
    pub results: Vec<TargetResult>,
}

impl ProbeRun {
    /// 2 when the file could not be read; 1 for findings at error level (or warnings too,
    /// with `strict`), a failed request, or nothing to probe; 0 otherwise.
    pub fn exit_code(&self, strict: bool) -> u8 {
        let failed = self.results.is_empty() || self.results.iter().any(|r| !r.passed());
        lint::exit_code(&self.reports, strict).max(u8::from(failed))
    }
}

/// Probe a questionnaire's health check on every base URL. The report holds the probe's
/// findings: the questionnaire's own are `lint`'s, unless the file does not even parse.
pub fn probe_file(
    path: &str,
    lint_options: &LintOptions,
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> ProbeRun {
    let mut file = lint::lint_path(path, lint_options);
    if file.document.is_some() {
        file.diagnostics.clear();
    }
    let results = probe_report(&mut file, options, progress).unwrap_or_default();
    lint::settle(&mut file.diagnostics, &lint_options.ignore);
    ProbeRun {
        reports: vec![file],
        results,
    }
}

/// Probe URLs given on the command line: one report per URL, so that each finding names it.
pub fn probe_urls(
    urls: &[String],
    ignore: &[String],
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> ProbeRun {
    let targets: Vec<Target> = urls.iter().map(|url| Target::url(url)).collect();
    let results = probe(&targets, options, progress);
    let reports = results
        .iter()
        .map(|result| {
            let mut diagnostics =
                findings::diagnostics(std::slice::from_ref(result), options, None);
            lint::settle(&mut diagnostics, ignore);
            FileReport::without_source(result.target.url.clone(), diagnostics)
        })
        .collect();
    ProbeRun { reports, results }
}

/// The health check URLs of a read questionnaire, or `None` with the finding that says why
/// there are none, in the terms of the app's kind (CF207 for a Connect app, CF715 for a Forge
/// app), at `app`, for probe, monitor and export alike.
pub fn targets_of(report: &mut FileReport) -> Option<Vec<Target>> {
    let document = report.document.as_ref()?;
    match targets_from(&document.value) {
        Ok(targets) => Some(targets),
        Err(missing) => {
            let kind = Kind::of(&document.value);
            let rule = if kind.health_check_required() {
                &CONNECT_WITHOUT_HEALTH_CHECK
            } else {
                &FORGE_NOTHING_TO_PROBE
            };
            let finding = Diagnostic::new(rule, kind.nothing_to_probe(&missing))
                .at(document.positions.key("/app"))
                .pointer("/app");
            report.diagnostics.push(finding);
            None
        }
    }
}

/// Read a questionnaire for its health check URLs (monitor, export): its report and the URLs,
/// or the report with the finding that says why there are none. Lint's own findings are
/// lint's business, as for `probe`.
pub fn read_targets(
    path: &str,
    options: &LintOptions,
) -> Result<(FileReport, Vec<Target>), Box<FileReport>> {
    let mut report = lint::lint_path(path, options);
    if report.document.is_some() {
        report.diagnostics.clear();
    }
    match targets_of(&mut report) {
        Some(targets) => Ok((report, targets)),
        None => Err(Box::new(report)),
    }
}

/// Probe a linted questionnaire's health check and add the findings to its report. `None`
/// (with a finding) when there is nothing to probe.
pub fn probe_report(
    report: &mut FileReport,
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> Option<Vec<TargetResult>> {
    let targets = targets_of(report)?;
    let document = report.document.as_ref()?;
    let descriptor_path = document.value["app"]["health_check"]["descriptor_path"].as_str();
    // The health checks and the descriptors at once: a slow base URL costs its time once.
    let (results, served) = runtime().block_on(async {
        tokio::join!(
            probe_all(&targets, options, progress),
            served_descriptors(&targets, descriptor_path, options)
        )
    });
    report.diagnostics.extend(findings::diagnostics(
        &results,
        options,
        Some(&document.positions),
    ));
    let key = document.value["app"]["key"].as_str();
    for (target, attempt) in served {
        report.diagnostics.extend(served_descriptor(
            &target,
            &attempt,
            key,
            options.limit,
            &document.positions,
        ));
    }
    Some(results)
}

/// The async runtime of a probe ([`crate::net::runtime`]).
fn runtime() -> tokio::runtime::Runtime {
    crate::net::runtime().expect("a current-thread runtime builds")
}

/// The descriptor each base URL serves at `path` (none without a path): one request per base
/// URL (not per sample), with the health check's safety, the body kept.
async fn served_descriptors(
    targets: &[Target],
    path: Option<&str>,
    options: &ProbeOptions,
) -> Vec<(Target, Attempt)> {
    let Some(path) = path else {
        return Vec::new();
    };
    let mut tasks = tokio::task::JoinSet::new();
    for (index, target) in targets.iter().enumerate() {
        let Some(base) = target.base_url.clone() else {
            continue;
        };
        let url = crate::ticket::health_check::health_url(&base, path);
        let options = options.clone();
        let target = target.clone();
        tasks.spawn(async move { (index, target, request::fetch(&url, &options).await) });
    }
    let mut fetched = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        if let Ok(found) = joined {
            fetched.push(found);
        }
    }
    fetched.sort_by_key(|(index, _, _)| *index);
    fetched.into_iter().map(|(_, t, a)| (t, a)).collect()
}

/// What a served descriptor says of its base URL: its `baseUrl` must be that base URL and
/// its `key` the app's.
fn served_descriptor(
    target: &Target,
    attempt: &Attempt,
    key: Option<&str>,
    limit: std::time::Duration,
    positions: &crate::ticket::load::Positions,
) -> Vec<Diagnostic> {
    use crate::ticket::registry::probe::{
        SERVED_DESCRIPTOR_MISMATCH, SERVED_DESCRIPTOR_UNAVAILABLE,
    };
    let base = target.base_url.as_deref().unwrap_or(&target.url);
    let place = |diagnostic: Diagnostic| match &target.pointer {
        Some(pointer) => diagnostic
            .at(positions.value(pointer))
            .pointer(pointer.clone()),
        None => diagnostic,
    };
    let descriptor: Option<serde_json::Value> = attempt
        .body
        .as_deref()
        .filter(|_| attempt.succeeded() && !attempt.body_capped)
        .and_then(|body| serde_json::from_slice(body).ok())
        .filter(serde_json::Value::is_object);
    let Some(descriptor) = descriptor else {
        let why = match &attempt.failure {
            Some(failure) => findings::failure_text(failure, limit),
            None if attempt.body_capped => "the body is larger than 1 MiB".to_owned(),
            None => "the body is not a JSON object".to_owned(),
        };
        return vec![place(Diagnostic::new(
            &SERVED_DESCRIPTOR_UNAVAILABLE,
            format!("the descriptor served by {base} cannot be checked: {why}"),
        ))];
    };
    // A JSON object without what every Connect descriptor has is not one: nothing to compare.
    let lacks: Vec<&str> = [("key", "no `key`"), ("baseUrl", "no `baseUrl`")]
        .into_iter()
        .filter(|(field, _)| !descriptor[field].is_string())
        .map(|(_, what)| what)
        .collect();
    if !lacks.is_empty() {
        return vec![place(
            Diagnostic::new(
                &SERVED_DESCRIPTOR_UNAVAILABLE,
                format!(
                    "the descriptor served by {base} cannot be checked: it has {}, which every Connect descriptor must have",
                    lacks.join(" and ")
                ),
            )
            .help("check app.health_check.descriptor_path: it names what Atlassian installs the app from"),
        )];
    }
    let mut out = Vec::new();
    if let Some(served) = descriptor["baseUrl"].as_str()
        && !crate::ticket::rules::descriptor::same_url(served, base)
    {
        out.push(place(
            Diagnostic::new(
                &SERVED_DESCRIPTOR_MISMATCH,
                format!("{base} serves a descriptor whose baseUrl is `{served}`: the customers of this base URL run an app that points elsewhere"),
            )
            .help("deploy a descriptor whose baseUrl is this base URL (a changed baseUrl needs Atlassian's approval again)"),
        ));
    }
    if let (Some(served), Some(key)) = (descriptor["key"].as_str(), key)
        && served != key
    {
        out.push(place(Diagnostic::new(
            &SERVED_DESCRIPTOR_MISMATCH,
            format!("{base} serves the descriptor of `{served}`, not of `{key}`"),
        )));
    }
    out
}

/// Why the probe refuses `url` before any request: it cannot be requested (no scheme, a
/// scheme other than http and https, credentials, no host), or its host is one Atlassian's
/// monitor cannot reach and `allow_private` is off. `None` when a request may succeed (a name
/// that does not resolve now may later). The monitor asks before its first round.
pub async fn refusal(url: &str, options: &ProbeOptions) -> Option<Failure> {
    match request::prepare(url, options).await {
        Err(failure @ (Failure::InvalidUrl { .. } | Failure::PrivateHost { .. })) => Some(failure),
        _ => None,
    }
}

/// Progress of a probe run: (requests done, requests in all).
pub type Progress = Arc<dyn Fn(usize, usize) + Send + Sync>;

/// Probe every target (in parallel; the samples of one target one after the other).
pub fn probe(
    targets: &[Target],
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> Vec<TargetResult> {
    runtime().block_on(probe_all(targets, options, progress))
}

/// Probe every target at once, inside the caller's runtime (the monitor's rounds run here).
pub(crate) async fn probe_all(
    targets: &[Target],
    options: &ProbeOptions,
    progress: Option<Progress>,
) -> Vec<TargetResult> {
    let total = targets.len() * options.samples.max(1) as usize;
    let done = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut tasks = tokio::task::JoinSet::new();
    for (index, target) in targets.iter().enumerate() {
        let target = target.clone();
        let options = options.clone();
        let progress = progress.clone();
        let done = done.clone();
        tasks.spawn(async move {
            let attempts = request::samples(&target.url, &options, |_| {
                let now = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                if let Some(progress) = &progress {
                    progress(now, total);
                }
            })
            .await;
            (index, TargetResult { target, attempts })
        });
    }
    let mut results: Vec<Option<TargetResult>> = vec![None; targets.len()];
    while let Some(joined) = tasks.join_next().await {
        if let Ok((index, result)) = joined {
            results[index] = Some(result);
        }
    }
    results.into_iter().flatten().collect()
}
