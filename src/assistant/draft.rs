//! A listing field written by the writing model (shortened, or drafted for search
//! engines), checked, and tried again when the check fails; after the last try the
//! best draft is handed over flagged, never passed off as usable.

use serde::Serialize;

use super::AssistantError;

/// The writing model: a system and a user prompt and a seed (None: greedy) in, the
/// whole answer out.
pub type DraftFn<'a> = dyn Fn(&str, &str, Option<u64>) -> Result<String, AssistantError> + 'a;

/// Tries before the best draft is handed over flagged.
pub(super) const TRIES: usize = 3;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopyDraft {
    pub text: String,
    /// Characters, as the marketplace counts them.
    pub chars: usize,
    pub limit: usize,
    pub fits: bool,
    /// Protected spans (brand, SKU, measure, size) the draft lost.
    pub lost: Vec<String>,
    pub tries: usize,
    pub prompt_version: String,
}

impl CopyDraft {
    /// Whether it can replace the field as it is.
    pub fn is_usable(&self) -> bool {
        self.fits && self.lost.is_empty()
    }
}

/// The model's answer as a field: its first line, without quotes around it.
pub(super) fn first_line(text: &str) -> &str {
    text.trim()
        .lines()
        .next()
        .unwrap_or_default()
        .trim()
        .trim_matches(['"', '\u{201c}', '\u{201d}'])
        .trim()
}

/// Runs `attempt` (given the try's number, 0 first) until a draft is usable, or returns
/// the best of `TRIES` flagged: one that fits beats one that keeps more but does not
/// (the seller can put a lost code back, where a long field is refused or cut off), and
/// anything written beats nothing. None when no try was made.
pub(super) fn best_of_tries(
    mut attempt: impl FnMut(usize) -> Result<CopyDraft, AssistantError>,
) -> Result<Option<CopyDraft>, AssistantError> {
    let mut best: Option<CopyDraft> = None;
    for number in 0..TRIES {
        let mut draft = attempt(number)?;
        draft.tries = number + 1;
        if draft.is_usable() {
            return Ok(Some(draft));
        }
        let rank =
            |draft: &CopyDraft| (!draft.fits, draft.chars == 0, draft.lost.len(), draft.chars);
        let better = |than: &CopyDraft| rank(&draft) < rank(than);
        if best.as_ref().is_none_or(better) {
            best = Some(draft);
        }
    }
    Ok(best.map(|mut draft| {
        draft.tries = TRIES;
        draft
    }))
}
