//! Text and JSON output of the commands.

use serde::Serialize;
use tradewind::doctor::DoctorReport;
use tradewind::jobs::{JobRecord, JobState};
use tradewind::overview::Overview;

fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(error) => eprintln!("error: cannot write JSON: {error}"),
    }
}

pub fn finished_job(job: &JobRecord, overview: &Overview, as_json: bool) {
    if as_json {
        #[derive(Serialize)]
        struct Finished<'a> {
            job: &'a JobRecord,
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

pub fn jobs(jobs: &[JobRecord], as_json: bool) {
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
            job.kind,
            job.state,
            job.progress.stage,
            progress,
            job.message.as_deref().unwrap_or("")
        );
    }
}
