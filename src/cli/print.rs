//! Text and JSON output of the commands.

use serde::Serialize;
use tradewind::doctor::DoctorReport;
use tradewind::jobs::JobState;
use tradewind::ml::loaded::LoadReport;
use tradewind::ml::model::{ModelInput, ModelOutput};
use tradewind::ml::store::{Presence, Trust, VerifiedFile};
use tradewind::overview::Overview;
use tradewind::{Job, ModelStatus};

/// `value` as pretty JSON on standard output.
pub fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(error) => eprintln!("error: cannot write JSON: {error}"),
    }
}

pub fn finished_job(job: &Job, overview: &Overview, as_json: bool) {
    if as_json {
        #[derive(Serialize)]
        struct Finished<'a> {
            job: &'a Job,
            overview: &'a Overview,
        }
        return json(&Finished { job, overview });
    }
    match job.state {
        JobState::Cancelled => println!(
            "Cancelled job {}; `tradewind jobs resume {}` continues it from where it stopped.",
            job.id, job.id
        ),
        _ => {
            println!("{}", job.message.as_deref().unwrap_or("Done."));
            counts(overview);
        }
    }
}

fn counts(overview: &Overview) {
    println!(
        "The store now holds {} listings ({} variants, {} images), {} orders ({} line items, {} customers), {} photos.",
        overview.listings,
        overview.variants,
        overview.images,
        overview.orders,
        overview.order_lines,
        overview.customers,
        overview.photos
    );
}

pub fn doctor(report: &DoctorReport, as_json: bool) {
    if as_json {
        return json(report);
    }
    let yes = |flag: bool| if flag { "yes" } else { "no" };
    let database = &report.database;
    println!("Tradewind {}", report.version);
    println!("data folder  {}", report.data_dir.display());
    println!(
        "database     {} (schema {}/{}, {} KiB, journal {})",
        database.path.display(),
        database.schema_version,
        database.latest_schema_version,
        database.size_bytes / 1024,
        database.journal_mode
    );
    if report.integrity_problems.is_empty() {
        println!("integrity    ok");
    } else {
        println!(
            "integrity    {} problem(s):",
            report.integrity_problems.len()
        );
        for problem in &report.integrity_problems {
            println!("             {problem}");
        }
    }
    let cpu = &report.cpu;
    println!(
        "cpu          {}: avx2 {}, fma {}, f16c {}, neon {}",
        cpu.arch,
        yes(cpu.avx2),
        yes(cpu.fma),
        yes(cpu.f16c),
        yes(cpu.neon)
    );
    println!("devices      {}", report.devices.join(", "));
    let kernels = &report.kernels;
    println!(
        "ml kernels   quantized matmul on {}; avx2 {}, f16c {}, neon {}; {} threads",
        kernels.quantized_kernels,
        yes(kernels.avx2),
        yes(kernels.f16c),
        yes(kernels.neon),
        kernels.threads
    );
    println!(
        "compute      {} matrices for Marian; loaded models may hold {}",
        report.translation_precision,
        indicatif::HumanBytes(report.model_memory_budget_bytes)
    );
    for loaded in &report.loaded_models {
        println!(
            "loaded       {} on {} ({}): {} ms, {} of weights{}",
            loaded.key.id,
            loaded.key.device,
            loaded.key.precision,
            loaded.load_ms,
            indicatif::HumanBytes(loaded.weight_bytes),
            loaded
                .resident_growth_bytes
                .map(|bytes| format!(", +{} resident", indicatif::HumanBytes(bytes)))
                .unwrap_or_default()
        );
    }
    if report.models.is_empty() {
        println!("models       none yet");
    } else {
        println!("models       {}", report.models.join(", "));
    }
    let jobs = &report.jobs;
    println!(
        "jobs         {} ({} running, {} interrupted, {} failed)",
        jobs.total, jobs.running, jobs.interrupted, jobs.failed
    );
    counts(&report.counts);
}

pub fn jobs(jobs: &[Job], as_json: bool) {
    if as_json {
        return json(&jobs);
    }
    if jobs.is_empty() {
        println!("No jobs yet.");
        return;
    }
    println!(
        "{:>4}  {:<16} {:<12} {:<10} {:>22}  message",
        "id", "kind", "state", "stage", "progress"
    );
    for job in jobs {
        let progress = match job.progress.total {
            Some(total) => format!("{}/{}", job.progress.done, total),
            None => job.progress.done.to_string(),
        };
        println!(
            "{:>4}  {:<16} {:<12} {:<10} {:>22}  {}",
            job.id,
            job.kind.name(),
            job.state,
            job.progress.stage,
            progress,
            job.message.as_deref().unwrap_or("")
        );
    }
}

pub fn models(models: &[ModelStatus], as_json: bool) {
    if as_json {
        return json(&models);
    }
    println!(
        "{:<40} {:<16} {:>9} {:>8}  {:<13} {:<12} status",
        "id", "task", "size", "RAM", "licence", "quantization"
    );
    for status in models {
        let model = &status.model;
        let size = match model.known_size() {
            0 => "?".to_string(),
            bytes => indicatif::HumanBytes(bytes).to_string(),
        };
        let presence = match &status.presence {
            Presence::NotPresent => "not present".to_string(),
            Presence::Present { location } => format!("ready ({})", location.display()),
            Presence::Damaged { detail } => format!("damaged: {detail}"),
        };
        let presence = if status.writes {
            format!("{presence}, writes replies and listing copy")
        } else {
            presence
        };
        println!(
            "{:<40} {:<16} {:>9} {:>6}MB  {:<13} {:<12} {presence}",
            model.id,
            serde_json::to_value(&model.task)
                .ok()
                .and_then(|task| task.as_str().map(str::to_string))
                .unwrap_or_default(),
            size,
            model.ram_mb,
            model.licence,
            model.quantization
        );
    }
}

pub fn verified(id: &str, files: &[VerifiedFile], as_json: bool) {
    if as_json {
        return json(&serde_json::json!({ "model": id, "files": files }));
    }
    println!("{id}: verified");
    for file in files {
        let trust = match file.trust {
            Trust::Catalog => "matches the catalog",
            Trust::Recorded => "matches the checksum recorded on first use",
            Trust::RecordedNow => "no published checksum: recorded on first use",
        };
        println!(
            "  {:<28} {:>10}  sha256 {}…  {trust}",
            file.name,
            indicatif::HumanBytes(file.size).to_string(),
            &file.sha256[..16]
        );
    }
}

pub fn model_output(input: &ModelInput, report: &LoadReport, output: &ModelOutput, as_json: bool) {
    if as_json {
        #[derive(Serialize)]
        struct Ran<'a> {
            load: &'a LoadReport,
            output: &'a ModelOutput,
        }
        json(&Ran {
            load: report,
            output,
        });
        return;
    }
    let resident = report
        .resident_growth_bytes
        .map(|bytes| format!(", +{} resident", indicatif::HumanBytes(bytes)))
        .unwrap_or_default();
    eprintln!(
        "{} on {} ({}): loaded in {} ms, {} of weights{resident}",
        report.key.id,
        report.key.device,
        report.key.precision,
        report.load_ms,
        indicatif::HumanBytes(report.weight_bytes)
    );
    match output {
        ModelOutput::Translations(translations) => {
            for translation in translations {
                println!("{}", translation.text);
            }
        }
        ModelOutput::Similarities(scores) => {
            for (score, text) in scores.iter().zip(input.texts.iter().skip(1)) {
                println!("{score:.3}  {text}");
            }
        }
        ModelOutput::Sentiments(sentiments) => {
            for (sentiment, text) in sentiments.iter().zip(&input.texts) {
                println!("{:.1} stars ({})  {text}", sentiment.stars, sentiment.label);
            }
        }
        ModelOutput::Tags(tags) => {
            for (label, probability) in tags {
                println!("{probability:.3}  {label}");
            }
        }
        ModelOutput::Caption(caption) => println!("{caption}"),
        ModelOutput::Generation(generation) => println!("{}", generation.text),
    }
}

pub fn compute_settings(settings: &tradewind::ComputeSettings, as_json: bool) {
    if as_json {
        return json(settings);
    }
    let threads = match settings.threads {
        0 => "one per core".to_string(),
        count => count.to_string(),
    };
    println!(
        "precision    {} (Marian translators)",
        settings.translation_precision.name()
    );
    println!(
        "threads      {threads} from the next start ({} now)",
        settings.threads_in_use
    );
    println!(
        "memory       {} MB for loaded models, from the next start",
        settings.model_memory_mb
    );
}

pub fn translations(rows: &[tradewind::listings::translate::StoredTranslation], as_json: bool) {
    if as_json {
        return json(&rows);
    }
    if rows.is_empty() {
        println!("No translations yet: `tradewind translate --to de,fr` makes them.");
        return;
    }
    for row in rows {
        let review = match row.flags.as_array() {
            Some(flags) if !flags.is_empty() => format!("  [{} to review]", flags.len()),
            _ => String::new(),
        };
        println!(
            "{} {} [{}] {}: {}{review}",
            row.handle, row.field, row.locale, row.status, row.translated
        );
    }
}

/// A file's columns and first rows, as a preview shows them.
pub fn table_head(path: &std::path::Path, rows: u64, columns: &[String], sample: &[Vec<String>]) {
    println!(
        "{}: {rows} rows, columns: {}",
        path.display(),
        columns.join(" | ")
    );
    for row in sample {
        println!("  {}", row.join(" | "));
    }
}

pub fn listings_preview(preview: &tradewind::ListingsFilePreview, as_json: bool) {
    if as_json {
        return json(preview);
    }
    let table = &preview.table;
    table_head(
        &table.path,
        table.rows as u64,
        &table.columns,
        &table.sample,
    );
    if preview.shopify {
        println!("A Shopify product CSV: `tradewind import listings FILE` reads it as it is.");
        return;
    }
    let mapped: Vec<String> = table
        .proposed
        .iter()
        .filter(|(_, role)| **role != tradewind::listings::catalogue::own_layout::Role::Ignore)
        .map(|(column, role)| format!("{column}={}", role.name()))
        .collect();
    println!("Proposed: --map \"{}\"", mapped.join(","));
}

pub fn filled(
    report: &tradewind::listings::output::shopify_translations::FilledReport,
    out: &std::path::Path,
    as_json: bool,
) {
    if as_json {
        return json(report);
    }
    println!(
        "Wrote {}: {} translations filled in.",
        out.display(),
        report.filled
    );
    if report.stale > 0 {
        println!(
            "{} rows left empty: their text in the shop is not what was translated (changed since).",
            report.stale
        );
    }
    if report.untranslated > 0 {
        println!(
            "{} rows left empty: no translation yet (translate those listings first).",
            report.untranslated
        );
    }
    if report.over_limits > 0 {
        println!(
            "{} filled translations are over Shopify's length limits or guidance: `tradewind translations --marketplace shopify` lists them.",
            report.over_limits
        );
    }
    if !report.other_locales.is_empty() {
        println!("Not translated into: {}.", report.other_locales.join(", "));
    }
}

pub fn violations(
    rows: &[(
        tradewind::listings::translate::StoredTranslation,
        Vec<tradewind::listings::rules::Violation>,
    )],
    as_json: bool,
) {
    if as_json {
        return json(&rows);
    }
    if rows.is_empty() {
        println!("Every translation fits the marketplace's limits.");
        return;
    }
    for (row, violations) in rows {
        for violation in violations {
            let kind = if violation.guidance {
                "guidance"
            } else {
                "limit"
            };
            println!(
                "{} {} [{}]: {} over the {} {kind} of {} ({})",
                row.handle,
                row.field,
                row.locale,
                violation.actual,
                violation.marketplace,
                violation.limit,
                violation.source
            );
        }
    }
}

pub fn glossary(entries: &[tradewind::listings::translate::glossary::Entry], as_json: bool) {
    if as_json {
        return json(&entries);
    }
    if entries.is_empty() {
        println!("The glossary is empty: `tradewind glossary import FILE` adds terms.");
    }
    for entry in entries {
        println!("{} [{}] → {}", entry.source, entry.language, entry.target);
    }
}
