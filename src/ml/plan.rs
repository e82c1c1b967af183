//! The models for what a seller wants to do, chosen for this computer: the first run asks
//! which tasks (translate listings into some languages, tag photos, write alt text,
//! answer buyers) and proposes the catalog's models for them, with their download size,
//! disk and memory, and the reasons for each choice the machine decided. Nothing here
//! downloads anything.

use serde::{Deserialize, Serialize};

use super::catalog::{Architecture, Catalog, ModelEntry, Task};
use super::machine::Machine;
use super::route::{self, EngineChoice, Route};
use super::weights::Precision;

/// What the seller ticked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlanRequest {
    /// The language the listings are written in.
    pub from: String,
    /// The languages to translate them into (empty: no translation).
    pub translate_to: Vec<String>,
    pub tag_photos: bool,
    /// Alt text for photos, written in English and translated into `translate_to`.
    pub alt_text: bool,
    pub answer_buyers: bool,
}

/// What a planned model is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ModelUse {
    Translate { from: String, to: String },
    TagPhotos,
    AltText,
    AnswerBuyers,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PlannedModel {
    pub id: String,
    pub name: String,
    pub task: Task,
    pub uses: Vec<ModelUse>,
    /// Its files' size as the catalog gives it; None where a file's size is not known.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub download_bytes: Option<u64>,
    /// What it takes on disk: its files, and for an opus-mt translator run with 8-bit
    /// weights the copy of them Tradewind makes (about a quarter of their size).
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub disk_bytes: Option<u64>,
    pub ram_mb: u32,
    /// Whether it is on this computer already.
    pub present: bool,
}

/// A choice the machine decided, as data: the app words it in the seller's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Proposal {
    /// The writing model that fits the memory: a writer may take a fifth of it, since the
    /// seller's other programs and the other models run beside it. `larger` is the one
    /// that would write better but does not fit.
    Writer {
        chosen: String,
        larger: Option<String>,
        #[cfg_attr(feature = "ts", ts(type = "number"))]
        memory_mb: u64,
    },
    /// How translators hold their weights: 8-bit on a CPU (faster there, a quarter of the
    /// memory), 32-bit where a GPU runs them.
    Precision {
        precision: Precision,
        gpu: Option<String>,
    },
    /// Languages only the many-language model reaches; `short_of_memory` when it needs
    /// more than a fifth of the memory.
    ManyLanguages {
        model: String,
        languages: Vec<String>,
        short_of_memory: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ModelPlan {
    pub machine: Machine,
    pub models: Vec<PlannedModel>,
    /// Bytes to download: the models not here whose size is known.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub download_bytes: u64,
    /// Models to download whose size the catalog does not know.
    pub unknown_sizes: usize,
    /// Disk the models not here will take, of those whose size is known.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub disk_bytes: u64,
    /// The memory of the largest model: models are loaded as they are needed, within
    /// the memory setting, the least recently used unloaded first.
    pub largest_ram_mb: u32,
    pub proposals: Vec<Proposal>,
    /// Languages no catalog model translates into.
    pub unreachable: Vec<String>,
}

/// The share of the memory one model may take.
const MEMORY_SHARE: u64 = 5;

/// The models for `request` on `machine`; `present` says which are here.
pub fn plan(
    catalog: &Catalog,
    machine: &Machine,
    present: &dyn Fn(&ModelEntry) -> bool,
    request: &PlanRequest,
) -> ModelPlan {
    let precision = match machine.gpu {
        Some(_) => Precision::F32,
        None => Precision::Q8_0,
    };
    let mut planned = Planned::default();
    let mut proposals = Vec::new();
    let mut unreachable = Vec::new();
    let mut many_languages: Vec<(String, String)> = Vec::new();
    let mut translate =
        |from: &str, to: &str, purpose: ModelUse, planned: &mut Planned| match route::plan(
            catalog,
            from,
            to,
            EngineChoice::Marian,
        ) {
            Some(route) => {
                if let Route::Many { model } = &route {
                    many_languages.push((model.clone(), to.to_string()));
                }
                for id in route.models() {
                    planned.add(catalog, id, purpose.clone());
                }
            }
            None if !unreachable.iter().any(|language| language == to) => {
                unreachable.push(to.to_string());
            }
            None => {}
        };
    for to in request
        .translate_to
        .iter()
        .filter(|to| **to != request.from)
    {
        let purpose = ModelUse::Translate {
            from: request.from.clone(),
            to: to.clone(),
        };
        translate(&request.from, to, purpose, &mut planned);
    }
    if request.tag_photos
        && let Some(tagger) = first_of(catalog, Task::ZeroShotImage)
    {
        planned.add(catalog, &tagger.id, ModelUse::TagPhotos);
    }
    if request.alt_text {
        if let Some(captioner) = first_of(catalog, Task::Caption) {
            planned.add(catalog, &captioner.id, ModelUse::AltText);
        }
        // Captions are written in English, then translated like the listings.
        for to in request.translate_to.iter().filter(|to| *to != "en") {
            translate("en", to, ModelUse::AltText, &mut planned);
        }
    }
    if request.answer_buyers
        && let Some((writer, proposal)) = writer_for(catalog, machine)
    {
        planned.add(catalog, &writer.id, ModelUse::AnswerBuyers);
        proposals.push(proposal);
    }
    if planned.has_architecture(catalog, Architecture::Marian) {
        proposals.push(Proposal::Precision {
            precision,
            gpu: machine.gpu.clone(),
        });
    }
    many_languages.sort();
    many_languages.dedup();
    if let Some((model, _)) = many_languages.first() {
        let ram_mb = catalog
            .get(model)
            .map_or(0, |entry| u64::from(entry.ram_mb));
        proposals.push(Proposal::ManyLanguages {
            model: model.clone(),
            languages: many_languages.iter().map(|(_, to)| to.clone()).collect(),
            short_of_memory: ram_mb * MEMORY_SHARE > machine.memory_mb(),
        });
    }
    let models: Vec<PlannedModel> = planned
        .entries
        .into_iter()
        .filter_map(|(id, uses)| {
            let entry = catalog.get(&id).ok()?;
            let download_bytes = known_size(entry);
            Some(PlannedModel {
                disk_bytes: download_bytes.map(|bytes| on_disk(entry, bytes, precision)),
                download_bytes,
                present: present(entry),
                ram_mb: entry.ram_mb,
                task: entry.task.clone(),
                name: entry.name.clone(),
                id,
                uses,
            })
        })
        .collect();
    let to_fetch = || models.iter().filter(|model| !model.present);
    ModelPlan {
        download_bytes: to_fetch().filter_map(|model| model.download_bytes).sum(),
        unknown_sizes: to_fetch()
            .filter(|model| model.download_bytes.is_none())
            .count(),
        disk_bytes: to_fetch().filter_map(|model| model.disk_bytes).sum(),
        largest_ram_mb: models.iter().map(|model| model.ram_mb).max().unwrap_or(0),
        machine: machine.clone(),
        models,
        proposals,
        unreachable,
    }
}

/// The models chosen so far, in the order they were first needed, with their uses.
#[derive(Default)]
struct Planned {
    entries: Vec<(String, Vec<ModelUse>)>,
}

impl Planned {
    fn add(&mut self, catalog: &Catalog, id: &str, purpose: ModelUse) {
        if catalog.get(id).is_err() {
            return;
        }
        match self.entries.iter_mut().find(|(planned, _)| planned == id) {
            Some((_, uses)) if uses.contains(&purpose) => {}
            Some((_, uses)) => uses.push(purpose),
            None => self.entries.push((id.to_string(), vec![purpose])),
        }
    }

    fn has_architecture(&self, catalog: &Catalog, architecture: Architecture) -> bool {
        self.entries.iter().any(|(id, _)| {
            catalog
                .get(id)
                .is_ok_and(|entry| entry.architecture == architecture)
        })
    }
}

fn first_of(catalog: &Catalog, task: Task) -> Option<&ModelEntry> {
    catalog.models.iter().find(|model| model.task == task)
}

/// The size of every file, when the catalog knows each.
fn known_size(entry: &ModelEntry) -> Option<u64> {
    entry.files.iter().map(|file| file.size).sum()
}

/// What a model takes on disk: its files, plus the 8-bit copy an opus-mt translator's
/// weights get (q8_0 stores 32 weights in 34 bytes where f32 takes 128).
fn on_disk(entry: &ModelEntry, files: u64, precision: Precision) -> u64 {
    match (entry.architecture, precision) {
        (Architecture::Marian, Precision::Q8_0) => files + files * 34 / 128,
        _ => files,
    }
}

/// The writing model for this machine: buyers write in many languages, so a
/// multilingual writer is preferred; the largest that takes at most a fifth of the
/// memory, else the smallest.
fn writer_for<'c>(catalog: &'c Catalog, machine: &Machine) -> Option<(&'c ModelEntry, Proposal)> {
    let writers: Vec<&ModelEntry> = catalog
        .models
        .iter()
        .filter(|model| model.task == Task::Generate)
        .collect();
    let multilingual: Vec<&ModelEntry> = writers
        .iter()
        .copied()
        .filter(|model| {
            model
                .languages
                .iter()
                .any(|language| language.starts_with("multilingual"))
        })
        .collect();
    let family = if multilingual.is_empty() {
        writers
    } else {
        multilingual
    };
    let fits = |model: &&ModelEntry| u64::from(model.ram_mb) * MEMORY_SHARE <= machine.memory_mb();
    let chosen = family
        .iter()
        .copied()
        .filter(fits)
        .max_by_key(|model| model.ram_mb)
        .or_else(|| family.iter().copied().min_by_key(|model| model.ram_mb))?;
    let larger = family
        .iter()
        .filter(|model| model.ram_mb > chosen.ram_mb)
        .min_by_key(|model| model.ram_mb)
        .map(|model| model.id.clone());
    Some((
        chosen,
        Proposal::Writer {
            chosen: chosen.id.clone(),
            larger,
            memory_mb: machine.memory_mb(),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn machine(memory_gb: u64, gpu: Option<&str>) -> Machine {
        Machine {
            memory_bytes: memory_gb << 30,
            cores: 8,
            gpu: gpu.map(String::from),
        }
    }

    fn ids(plan: &ModelPlan) -> Vec<&str> {
        plan.models.iter().map(|model| model.id.as_str()).collect()
    }

    fn request() -> PlanRequest {
        PlanRequest {
            from: "en".into(),
            ..PlanRequest::default()
        }
    }

    #[test]
    fn german_and_photo_tags_take_the_pair_and_the_tagger() {
        let catalog = Catalog::builtin().unwrap();
        let plan = plan(
            &catalog,
            &machine(16, None),
            &|model| model.id == "opus-mt-en-de",
            &PlanRequest {
                translate_to: vec!["de".into()],
                tag_photos: true,
                ..request()
            },
        );
        assert_eq!(ids(&plan), ["opus-mt-en-de", "clip-vit-base-patch32"]);
        assert!(plan.models[0].present && !plan.models[1].present);
        assert_eq!(
            plan.models[0].uses,
            [ModelUse::Translate {
                from: "en".into(),
                to: "de".into()
            }]
        );
        // The CLIP files' sizes are not in the catalog: counted apart, not as zero.
        assert_eq!((plan.download_bytes, plan.unknown_sizes), (0, 1));
        assert_eq!(plan.largest_ram_mb, 700);
        assert_eq!(
            plan.proposals,
            [Proposal::Precision {
                precision: Precision::Q8_0,
                gpu: None
            }]
        );
    }

    #[test]
    fn the_writer_fits_the_memory() {
        let catalog = Catalog::builtin().unwrap();
        let answer = PlanRequest {
            answer_buyers: true,
            ..request()
        };
        let small = plan(&catalog, &machine(8, None), &|_| false, &answer);
        assert_eq!(ids(&small), ["qwen2.5-0.5b-instruct-q4km"]);
        assert_eq!(
            small.proposals,
            [Proposal::Writer {
                chosen: "qwen2.5-0.5b-instruct-q4km".into(),
                larger: Some("qwen2.5-1.5b-instruct-q4km".into()),
                memory_mb: 8192
            }]
        );
        let large = plan(&catalog, &machine(16, None), &|_| false, &answer);
        assert_eq!(ids(&large), ["qwen2.5-1.5b-instruct-q4km"]);
    }

    #[test]
    fn alt_text_and_languages_without_a_pair_share_models_and_say_why() {
        let catalog = Catalog::builtin().unwrap();
        let plan = plan(
            &catalog,
            &machine(4, Some("cuda")),
            &|_| false,
            &PlanRequest {
                translate_to: vec!["de".into(), "pt".into(), "en".into(), "xx".into()],
                alt_text: true,
                ..request()
            },
        );
        assert_eq!(
            ids(&plan),
            [
                "opus-mt-en-de",
                "madlad400-3b-mt-q4k",
                "blip-image-captioning-large-q4k"
            ]
        );
        // The same translator serves the listings and the alt text.
        assert_eq!(plan.models[0].uses.len(), 2);
        assert!(plan.proposals.contains(&Proposal::Precision {
            precision: Precision::F32,
            gpu: Some("cuda".into())
        }));
        assert!(plan.proposals.contains(&Proposal::ManyLanguages {
            model: "madlad400-3b-mt-q4k".into(),
            languages: vec!["pt".into(), "xx".into()],
            short_of_memory: true
        }));
        assert!(plan.unreachable.is_empty(), "MADLAD reaches every language");
    }
}
