//! `tradewind models plan`: the first run's model proposals in a terminal, and the one
//! job that fetches them.

use std::path::PathBuf;
use std::process::ExitCode;

use indicatif::HumanBytes;
use tradewind::ml::plan::{ModelPlan, ModelUse, PlanRequest, Proposal};
use tradewind::ml::weights::Precision;
use tradewind::{Engine, Error, JobSpec};

use super::commands::run_job;
use super::print;

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The language the listings are written in.
    #[arg(long, default_value = "en", value_name = "LANG")]
    from: String,
    /// Translate listings into these languages (e.g. de,fr).
    #[arg(long, value_delimiter = ',', value_name = "LANG,…")]
    translate: Vec<String>,
    /// Tag product photos.
    #[arg(long)]
    tag_photos: bool,
    /// Write alt text for photos (in English, translated into the --translate languages).
    #[arg(long)]
    alt_text: bool,
    /// Draft replies to buyers.
    #[arg(long)]
    answer_buyers: bool,
    /// Download the models not on this computer, in one job.
    #[arg(long, conflicts_with = "import")]
    download: bool,
    /// Copy the models not on this computer from their folders in FOLDER (each named after
    /// the model or its Hub repository), in one job.
    #[arg(long, value_name = "FOLDER")]
    import: Option<PathBuf>,
}

pub async fn run(engine: &Engine, args: PlanArgs, json: bool) -> Result<ExitCode, Error> {
    let request = PlanRequest {
        from: args.from,
        translate_to: args.translate,
        tag_photos: args.tag_photos,
        alt_text: args.alt_text,
        answer_buyers: args.answer_buyers,
    };
    let plan = engine.plan_models(&request)?;
    if json {
        print::json(&plan);
    } else {
        show(&plan);
    }
    let missing: Vec<String> = plan
        .models
        .iter()
        .filter(|model| !model.present)
        .map(|model| model.id.clone())
        .collect();
    let spec = match args.import {
        Some(folder) => JobSpec::ImportModels {
            ids: missing,
            folder,
        },
        None if args.download => JobSpec::DownloadModels { ids: missing },
        None => return Ok(ExitCode::SUCCESS),
    };
    let job = engine.create_job(&spec)?;
    run_job(engine, job, json).await
}

fn show(plan: &ModelPlan) {
    let machine = &plan.machine;
    println!(
        "This computer: {} of memory, {} cores, {}.",
        HumanBytes(machine.memory_bytes),
        machine.cores,
        machine
            .gpu
            .as_deref()
            .map_or("no GPU this build can use".to_string(), |gpu| format!(
                "GPU: {gpu}"
            ))
    );
    if plan.models.is_empty() {
        println!(
            "Nothing to fetch: tick a task (--translate, --tag-photos, --alt-text, --answer-buyers)."
        );
    }
    for model in &plan.models {
        let size = model
            .download_bytes
            .map_or("size not known before download".to_string(), |bytes| {
                HumanBytes(bytes).to_string()
            });
        let state = if model.present { "here" } else { "to fetch" };
        let uses: Vec<String> = model.uses.iter().map(use_words).collect();
        println!(
            "  {:<36} {:<28} {:>6} MB memory  {state:<8}  for {}",
            model.id,
            size,
            model.ram_mb,
            uses.join(", ")
        );
    }
    if plan.models.iter().any(|model| !model.present) {
        let unknown = match plan.unknown_sizes {
            0 => String::new(),
            count => format!(", and {count} whose size the catalog does not give"),
        };
        println!(
            "To fetch: {} ({} on disk){unknown}. The largest model takes {} MB of memory while it runs.",
            HumanBytes(plan.download_bytes),
            HumanBytes(plan.disk_bytes),
            plan.largest_ram_mb
        );
    }
    for proposal in &plan.proposals {
        println!("Why: {}", proposal_words(proposal));
    }
    if !plan.unreachable.is_empty() {
        println!(
            "No model in the catalog translates into: {}.",
            plan.unreachable.join(", ")
        );
    }
}

fn use_words(purpose: &ModelUse) -> String {
    match purpose {
        ModelUse::Translate { from, to } => format!("translating {from} into {to}"),
        ModelUse::TagPhotos => "tagging photos".into(),
        ModelUse::AltText => "alt text".into(),
        ModelUse::AnswerBuyers => "replies to buyers".into(),
    }
}

fn proposal_words(proposal: &Proposal) -> String {
    match proposal {
        Proposal::Writer {
            chosen,
            larger: Some(larger),
            memory_mb,
        } => format!(
            "{chosen} writes the replies: with {memory_mb} MB of memory, {larger} would take more than a fifth of it"
        ),
        Proposal::Writer { chosen, .. } => {
            format!(
                "{chosen} writes the replies: the best writer the catalog has fits this computer"
            )
        }
        Proposal::Precision {
            precision: Precision::F32,
            gpu,
        } => format!(
            "translators keep 32-bit weights: the {} GPU runs them fast",
            gpu.as_deref().unwrap_or("")
        ),
        Proposal::Precision { .. } => {
            "translators use 8-bit weights: faster on this CPU, and a quarter of the memory".into()
        }
        Proposal::ManyLanguages {
            model,
            languages,
            short_of_memory,
        } => {
            let warning = if *short_of_memory {
                "; it needs more than a fifth of this computer's memory, so it will be slow"
            } else {
                ""
            };
            format!(
                "{model} translates into {} (no opus-mt pair reaches them){warning}",
                languages.join(", ")
            )
        }
    }
}
