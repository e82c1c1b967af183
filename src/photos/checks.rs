//! Each marketplace's photo rules (`assets/photo-rules.toml`, with their sources) checked
//! on a photo's measures: pass, warn or fail, each with the figures that decided it and
//! one plain English sentence (the interface words it in the seller's language).

use serde::{Deserialize, Serialize};

use super::PhotosError;
use super::measure::Measures;

const RULES: &str = include_str!("../../assets/photo-rules.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Check {
    MinLongestSide,
    MaxLongestSide,
    Formats,
    WhiteBackground,
    Fill,
    Sharpness,
    Brightness,
    BlownOut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Required,
    Recommended,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub marketplace: String,
    pub check: Check,
    #[serde(default)]
    pub value: f64,
    #[serde(default)]
    pub formats: Vec<String>,
    pub level: Level,
    #[serde(default)]
    pub guidance: bool,
    pub source: String,
}

#[derive(Deserialize)]
struct RuleFile {
    rule: Vec<Rule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

/// One rule checked on one photo.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CheckResult {
    pub marketplace: String,
    pub check: Check,
    pub status: Status,
    /// What the photo has (pixels, a share, a format…).
    pub actual: String,
    /// What the rule asks for.
    pub limit: String,
    pub guidance: bool,
    pub source: String,
    /// The result in one English sentence.
    pub sentence: String,
}

/// Every rule, as shipped.
pub fn rules() -> Result<Vec<Rule>, PhotosError> {
    toml::from_str::<RuleFile>(RULES)
        .map(|file| file.rule)
        .map_err(|error| PhotosError::Rules {
            detail: error.to_string(),
        })
}

/// The marketplaces the photo rules name.
pub fn marketplaces(rules: &[Rule]) -> Vec<String> {
    let mut names: Vec<String> = rules
        .iter()
        .map(|rule| rule.marketplace.clone())
        .filter(|name| name != "any")
        .collect();
    names.sort();
    names.dedup();
    names
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// `measures` against the rules of `marketplace` (and those for any marketplace).
pub fn check(rules: &[Rule], marketplace: &str, measures: &Measures) -> Vec<CheckResult> {
    rules
        .iter()
        .filter(|rule| rule.marketplace == marketplace || rule.marketplace == "any")
        .filter_map(|rule| check_one(rule, marketplace, measures))
        .collect()
}

fn check_one(rule: &Rule, marketplace: &str, measures: &Measures) -> Option<CheckResult> {
    let longest = f64::from(measures.width.max(measures.height));
    let (passed, actual, limit, what) = match rule.check {
        Check::MinLongestSide => (
            longest >= rule.value,
            format!("{longest:.0} px"),
            format!("{:.0} px", rule.value),
            "the longest side should be at least the limit",
        ),
        Check::MaxLongestSide => (
            longest <= rule.value,
            format!("{longest:.0} px"),
            format!("{:.0} px", rule.value),
            "the longest side should be at most the limit",
        ),
        Check::Formats => (
            rule.formats.contains(&measures.format),
            measures.format.to_uppercase(),
            rule.formats
                .iter()
                .map(|format| format.to_uppercase())
                .collect::<Vec<_>>()
                .join(", "),
            "the file should be in one of these formats",
        ),
        Check::WhiteBackground => (
            f64::from(measures.white_border) >= rule.value && measures.plain_background,
            percent(f64::from(measures.white_border)),
            percent(rule.value),
            "the background should be pure white",
        ),
        Check::Fill => {
            // Only a product on a plain background can be measured.
            let fill = f64::from(measures.fill?);
            (
                fill >= rule.value,
                percent(fill),
                percent(rule.value),
                "the product should fill the frame",
            )
        }
        Check::Sharpness => (
            f64::from(measures.sharpness) >= rule.value,
            format!("{:.0}", measures.sharpness),
            format!("{:.0}", rule.value),
            "the photo should be sharp",
        ),
        Check::Brightness => (
            f64::from(measures.brightness) >= rule.value,
            percent(f64::from(measures.brightness)),
            percent(rule.value),
            "the product should be lit well enough",
        ),
        Check::BlownOut => (
            f64::from(measures.bright_clipped) <= rule.value,
            percent(f64::from(measures.bright_clipped)),
            percent(rule.value),
            "the product should not be blown out to white",
        ),
    };
    let status = match (passed, rule.level, rule.guidance) {
        (true, _, _) => Status::Pass,
        (false, Level::Required, false) => Status::Fail,
        (false, _, _) => Status::Warn,
    };
    let verdict = match status {
        Status::Pass => "passes",
        Status::Warn => "warning",
        Status::Fail => "fails",
    };
    Some(CheckResult {
        marketplace: marketplace.to_string(),
        check: rule.check,
        status,
        sentence: format!("{marketplace}: {verdict}: {what} ({limit}); this photo has {actual}"),
        actual,
        limit,
        guidance: rule.guidance,
        source: rule.source.clone(),
    })
}

/// The worst status among `results` (a photo with no rules passes).
pub fn worst(results: &[CheckResult]) -> Status {
    results
        .iter()
        .map(|result| result.status)
        .max()
        .unwrap_or(Status::Pass)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measures(width: u32, height: u32) -> Measures {
        Measures {
            width,
            height,
            bytes: 100_000,
            format: "jpeg".into(),
            white_border: 1.0,
            plain_background: true,
            fill: Some(0.9),
            sharpness: 300.0,
            brightness: 0.5,
            ..Measures::default()
        }
    }

    fn status(results: &[CheckResult], check: Check) -> Status {
        results
            .iter()
            .find(|result| result.check == check)
            .map(|result| result.status)
            .unwrap()
    }

    #[test]
    fn every_rule_reads_and_names_its_source() {
        let rules = rules().unwrap();
        assert!(rules.iter().all(|rule| !rule.source.is_empty()));
        assert_eq!(marketplaces(&rules), ["amazon", "ebay", "etsy", "shopify"]);
        assert!(
            rules
                .iter()
                .filter(|rule| rule.guidance)
                .all(|rule| rule.level == Level::Recommended),
            "guidance only ever warns"
        );
    }

    #[test]
    fn a_600_by_400_photo_fails_ebay_and_warns_on_amazon() {
        let rules = rules().unwrap();
        let small = measures(600, 400);
        let ebay = check(&rules, "ebay", &small);
        assert_eq!(
            worst(&ebay),
            Status::Warn,
            "500 px required: passes; 1000 recommended: warns"
        );
        let tiny = measures(400, 300);
        let ebay = check(&rules, "ebay", &tiny);
        assert_eq!(worst(&ebay), Status::Fail);
        assert!(ebay.iter().any(|result| result.sentence
            == "ebay: fails: the longest side should be at least the limit (500 px); this photo has 400 px"));
        let amazon = check(&rules, "amazon", &small);
        assert_eq!(status(&amazon, Check::MinLongestSide), Status::Warn);
        assert_eq!(status(&amazon, Check::Formats), Status::Pass);
    }

    #[test]
    fn a_large_white_studio_shot_passes_amazon_and_a_webp_fails_it() {
        let rules = rules().unwrap();
        let studio = measures(2000, 2000);
        assert_eq!(worst(&check(&rules, "amazon", &studio)), Status::Pass);
        let webp = Measures {
            format: "webp".into(),
            ..measures(2000, 2000)
        };
        let results = check(&rules, "amazon", &webp);
        assert_eq!(status(&results, Check::Formats), Status::Fail);
        let loose = Measures {
            fill: Some(0.5),
            white_border: 0.2,
            ..measures(2000, 2000)
        };
        let results = check(&rules, "amazon", &loose);
        assert_eq!(status(&results, Check::Fill), Status::Warn);
        assert_eq!(status(&results, Check::WhiteBackground), Status::Warn);
    }

    #[test]
    fn blur_and_darkness_warn_everywhere_and_a_scene_has_no_fill_check() {
        let rules = rules().unwrap();
        let poor = Measures {
            sharpness: 5.0,
            brightness: 0.1,
            fill: None,
            plain_background: false,
            ..measures(3000, 2000)
        };
        for marketplace in ["amazon", "ebay", "etsy", "shopify"] {
            let results = check(&rules, marketplace, &poor);
            assert_eq!(status(&results, Check::Sharpness), Status::Warn);
            assert_eq!(status(&results, Check::Brightness), Status::Warn);
            assert!(results.iter().all(|result| result.check != Check::Fill));
        }
    }
}
