//! v1 JSON lines in and out of the store: `history import` and `history export`.

use std::io::{BufRead, Write};

use super::file::StoreError;
use super::read::Reader;
use super::write::Writer;
use crate::badge::history::{self, Observation, Point, Record};
use crate::diagnostic::Diagnostic;
use crate::timestamp::Timestamp;

/// Observations written per transaction by an import.
const IMPORT_BATCH: usize = 20_000;

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportSummary {
    pub lines: u64,
    /// Observations added to the store.
    pub added: u64,
    /// Observations the store held already (the same app, URL and instant).
    pub already: u64,
    pub deliveries: u64,
    /// Lines skipped, with where and why.
    pub warnings: Vec<Diagnostic>,
}

/// Convert a v1 history read from `input` (named `name` in warnings) into the store, a batch
/// at a time; `progress` sees the bytes read so far. Importing the same file twice adds
/// nothing the second time.
pub fn import_jsonl(
    name: &str,
    input: impl BufRead,
    writer: &mut Writer,
    app: Option<&str>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportSummary, StoreError> {
    let mut summary = ImportSummary::default();
    let mut batch: Vec<Observation> = Vec::with_capacity(IMPORT_BATCH);
    let flush = |batch: &mut Vec<Observation>,
                 writer: &mut Writer,
                 summary: &mut ImportSummary|
     -> Result<(), StoreError> {
        let added = writer.append(batch)?;
        summary.added += added as u64;
        summary.already += (batch.len() - added) as u64;
        batch.clear();
        Ok(())
    };
    let mut failed: Option<StoreError> = None;
    let lines = history::each_record(name, input, &mut |record, bytes| {
        if failed.is_some() {
            return false;
        }
        summary.lines += 1;
        match record {
            Record::Observation(mut observation) => {
                if observation.app.is_none() {
                    observation.app = app.map(str::to_owned);
                }
                batch.push(observation);
                if batch.len() >= IMPORT_BATCH {
                    if let Err(e) = flush(&mut batch, writer, &mut summary) {
                        failed = Some(e);
                        return false;
                    }
                    progress(bytes);
                }
            }
            Record::Delivery(delivery) => {
                summary.deliveries += 1;
                if let Err(e) = writer.append_delivery(app, &delivery) {
                    failed = Some(e);
                    return false;
                }
            }
            Record::Warning(warning) => summary.warnings.push(warning),
        }
        true
    });
    if let Some(e) = failed {
        return Err(e);
    }
    lines.map_err(|source| StoreError::Io {
        path: writer.path().to_owned(),
        source,
    })?;
    flush(&mut batch, writer, &mut summary)?;
    Ok(summary)
}

/// What an export wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    pub observations: u64,
    pub deliveries: u64,
}

const DAY_MS: i64 = 86_400_000;

/// Write the store as v1 JSON lines, in time order, a day at a time (memory holds one day).
pub fn export_jsonl(reader: &Reader, out: &mut dyn Write) -> Result<ExportSummary, StoreError> {
    let mut summary = ExportSummary::default();
    let Some((first, last)) = reader.extent()? else {
        return Ok(summary);
    };
    let series = reader.series()?;
    let io = |source: std::io::Error| StoreError::Io {
        path: reader.path().to_owned(),
        source,
    };
    let mut day = first.0.div_euclid(DAY_MS) * DAY_MS;
    let mut text = String::new();
    while day <= last.0 {
        let (from, to) = (Timestamp(day), Timestamp(day + DAY_MS));
        let mut lines: Vec<(Timestamp, usize, String)> = Vec::new();
        for info in &series {
            reader.points(info.id, from, to, &mut |point: Point| {
                let observation = point.observation(&info.app, &info.url, info.base_url.as_deref());
                lines.push((point.at, 0, observation.line()));
            })?;
        }
        for (app, delivery) in reader.deliveries(from, to)? {
            let _ = app;
            lines.push((delivery.at, 1, delivery.line()));
        }
        // Stable: within an instant, observations before deliveries, series in their order.
        lines.sort_by_key(|(at, kind, _)| (*at, *kind));
        text.clear();
        for (_, kind, line) in &lines {
            if *kind == 0 {
                summary.observations += 1;
            } else {
                summary.deliveries += 1;
            }
            text.push_str(line);
        }
        out.write_all(text.as_bytes()).map_err(io)?;
        day += DAY_MS;
    }
    out.flush().map_err(io)?;
    Ok(summary)
}
