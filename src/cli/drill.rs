//! `cfready drill`: its arguments and glue (the email is built by `cfready::badge::email::drill`).

use clap::{ArgGroup, Args};

use cfready::badge::email::{drill, mime, smtp};
use cfready::report::{self, Format, Style};
use cfready::ticket::lint::{self, DEFAULT_FILE, LintOptions};
use cfready::timestamp::Timestamp;

use super::{ColorChoice, Exit, parse_span, print, use_color};

pub const AFTER_HELP: &str = "Examples:\n  cfready drill --print > drill.eml                     look at it, or pipe it to sendmail -t\n  CFREADY_SMTP_PASSWORD=... cfready drill --smtp smtp://alerts%40acme.example@mail.acme.example\n  cfready drill --smtp smtps://mail.acme.example --to oncall+cf@acme.example\n\nThe email has the shape of Atlassian's SLO-breach email: an HTML part with\n<script type=\"application/json\" id=\"incident-data\"> holding appKey, appDetails, incidentId,\nincidentStatus, time, metricName, metricUnit, measurementDurationSeconds, sliValue and\nsloValue, and a text part. Its subject starts with [DRILL], its incidentId with DRILL-, and\nboth parts say it is a drill. It goes to app.contacts.slo_alerts unless --to is given, from\nthat address unless --from is (never from Atlassian's no-reply@am.atlassian.com: a forged\nsender fails SPF and DMARC). smtp:// requires STARTTLS (plain only to a loopback host),\nsmtps:// is implicit TLS; the password comes from CFREADY_SMTP_PASSWORD, never the URL.\nExit 0 when printed or accepted by the server, 1 when the questionnaire has no app to\nspeak for, 2 on a usage error or a server that refused it.";

#[derive(Args)]
#[command(group(ArgGroup::new("how").required(true).multiple(true).args(["print", "smtp"])))]
pub struct DrillArgs {
    /// The questionnaire whose app the email speaks for.
    #[arg(default_value = DEFAULT_FILE)]
    file: String,

    /// Write the email (.eml, CRLF line ends) to standard output.
    #[arg(long)]
    print: bool,

    /// Submit it to this SMTP server: smtp://[user@]host[:port] (STARTTLS) or smtps://.
    /// (Read here, not by clap: its error would echo a URL that may hold a password.)
    #[arg(long, value_name = "URL")]
    smtp: Option<String>,

    /// Send to this address instead of app.contacts.slo_alerts (repeatable).
    #[arg(long, value_name = "ADDRESS")]
    to: Vec<String>,

    /// The sender [default: the first recipient].
    #[arg(long, value_name = "ADDRESS")]
    from: Option<String>,

    /// The sliValue, in percent (under the 99.9 % SLO, as in a breach).
    #[arg(long, default_value_t = drill::DEFAULT_SLI, value_parser = parse_percent)]
    sli: f64,

    /// The measurement window (measurementDurationSeconds).
    #[arg(long, default_value = "28d", value_parser = parse_span)]
    window: std::time::Duration,

    /// The incident's time (RFC 3339) [default: now], for a reproducible email.
    #[arg(long, value_parser = parse_time)]
    time: Option<Timestamp>,
}

fn parse_percent(text: &str) -> Result<f64, String> {
    match text.trim_end_matches('%').trim().parse::<f64>() {
        Ok(value) if (0.0..=100.0).contains(&value) => Ok(value),
        _ => Err(format!("`{text}` is not a percentage between 0 and 100")),
    }
}

fn parse_time(text: &str) -> Result<Timestamp, String> {
    Timestamp::parse(text)
        .ok_or_else(|| format!("`{text}` is not an RFC 3339 instant such as 2026-12-03T08:35:00Z"))
}

pub fn run(args: DrillArgs, color: ColorChoice) -> anyhow::Result<Exit> {
    let server = match args.smtp.as_deref().map(smtp::Server::parse).transpose() {
        Ok(server) => server,
        Err(reason) => anyhow::bail!("--smtp: {reason}"),
    };
    let file = lint::lint_path(&args.file, &LintOptions::default());
    if file.failure.is_some() || file.document.is_none() {
        let style = Style {
            color: use_color(color, &std::io::stdout()),
            quiet: true,
            ..Style::default()
        };
        print(&report::render(
            std::slice::from_ref(&file),
            Format::Human,
            style,
        ))?;
        eprintln!("error: no drill: {} is not a questionnaire", file.path);
        return Ok(if file.failure.is_some() {
            Exit::Failure
        } else {
            Exit::Findings
        });
    }
    let document = file.document.as_ref().expect("checked");
    let app = match drill::App::of(&document.value) {
        Ok(app) => app,
        Err(reason) => {
            eprintln!("error: no drill: {}: {reason}", file.path);
            return Ok(Exit::Findings);
        }
    };
    let to = if args.to.is_empty() {
        app.slo_alerts.iter().cloned().collect()
    } else {
        args.to.clone()
    };
    let Some(first) = to.first().cloned() else {
        anyhow::bail!(
            "{} has no app.contacts.slo_alerts: give the mailbox with --to ADDRESS",
            file.path
        );
    };
    let options = drill::DrillOptions {
        at: args.time.unwrap_or_else(Timestamp::now),
        sli: args.sli,
        window: args.window,
        from: args.from.clone().unwrap_or(first),
        to,
    };
    let mail = drill::mail(&app, &options);
    let message = mime::render(&mail);
    if args.print {
        print(&message)?;
    }
    if let Some(server) = &server {
        let password = std::env::var(smtp::PASSWORD_ENV).ok();
        match smtp::send(server, password.as_deref(), &mail.from, &mail.to, &message) {
            Ok(answer) => eprintln!(
                "drill: sent {} to {} through {}:{} ({answer}); incidentId {}",
                mail.message_id,
                mail.to.join(", "),
                server.host,
                server.port,
                drill::incident(&app, &options).incident_id
            ),
            Err(error) => {
                eprintln!(
                    "error: drill not sent through {}:{}: {error}",
                    server.host, server.port
                );
                return Ok(Exit::Failure);
            }
        }
    }
    Ok(Exit::Clean)
}
