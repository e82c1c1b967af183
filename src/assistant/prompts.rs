//! The prompts the writing model is given, in one place. A change of wording is a new
//! version: a draft records the version it was written with, so a seller's report of a
//! bad draft names the prompt behind it.

/// The version of the reply prompts below.
pub const REPLY_VERSION: &str = "reply-v1";

/// The language's name as a model reads it in an instruction.
pub fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "zh" | "zh-CN" => "Simplified Chinese",
        "de" => "German",
        "fr" => "French",
        "es" => "Spanish",
        "it" => "Italian",
        "nl" => "Dutch",
        "pl" => "Polish",
        "ja" => "Japanese",
        "pt" => "Portuguese",
        other => other,
    }
}

/// What the writer is and may do: short, polite, from the facts only, saying so when
/// they do not answer; placeholders copied as they are.
pub fn reply_system(language: &str) -> String {
    format!(
        "You are the customer service assistant of an online shop. Write a short, polite reply \
         to the buyer in {}. Use only the facts given. If the facts do not answer the buyer's \
         question, say that you will check and write again soon; never make up dates, prices \
         or promises. Copy codes such as ZX0 exactly as they are written.",
        language_name(language)
    )
}

/// The version of the shortening prompts below.
pub const SHORTEN_VERSION: &str = "shorten-v1";

/// What the shortener is: one field, its language, its codes kept.
pub fn shorten_system(field: &str, language: &str) -> String {
    let field = field.replace('_', " ");
    format!(
        "You shorten the {field} of a product listing. Write in {}. Keep the brand, the \
         product type and its most important features. Copy codes such as ZX0 exactly as \
         they are written. Answer with the shortened {field} only, on one line.",
        language_name(language)
    )
}

/// The field and the length it must fit.
pub fn shorten_user(text: &str, chars: usize) -> String {
    format!("Shorten to at most {chars} characters:\n{}", text.trim())
}

/// The version of the search-copy prompts below.
pub const COPY_VERSION: &str = "copy-v1";

/// What the search-copy writer is, for an SEO title of at most `chars` characters.
pub fn seo_title_system(language: &str, chars: usize) -> String {
    format!(
        "You write the SEO title of a product page, the title search engines show. Write in \
         {}, at most {chars} characters: the product type and its main feature first, then \
         the brand. Copy codes such as ZX0 exactly as they are written. Answer with the \
         title only, on one line.",
        language_name(language)
    )
}

/// ... for a meta description of about `chars` characters.
pub fn seo_description_system(language: &str, chars: usize) -> String {
    format!(
        "You write the meta description of a product page, the text search engines show \
         under its title. Write in {}, one or two sentences, at most {chars} characters, \
         saying what the product is and why to buy it, from the facts given only. Copy \
         codes such as ZX0 exactly as they are written. Answer with the description only, \
         on one line.",
        language_name(language)
    )
}

/// ... for `items` search tags of at most `chars` characters each. An example shows
/// the form: small models follow one better than a description of it.
pub fn tags_system(language: &str, items: usize, chars: usize) -> String {
    format!(
        "You suggest search tags for a product listing: the words buyers type to find it. \
         Write {items} tags in {}, each at most {chars} characters, in lower case, separated \
         by commas, on one line. For example, for a linen apron with pockets: linen apron, \
         kitchen apron, apron with pockets, cooking gift, natural linen",
        language_name(language)
    )
}

/// The listing the copy is written from.
pub fn copy_user(title: &str, description: &str) -> String {
    format!(
        "Product title: {}\nDescription: {}",
        title.trim(),
        description.trim()
    )
}

/// The facts, then the buyer's message.
pub fn reply_user(facts: &[String], message: &str) -> String {
    let facts = if facts.is_empty() {
        "- (none)".to_string()
    } else {
        facts
            .iter()
            .map(|fact| format!("- {fact}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    format!("Facts:\n{facts}\n\nBuyer's message:\n{}", message.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reply_prompt_names_the_language_lists_the_facts_and_ends_with_the_message() {
        let system = reply_system("en");
        assert!(
            system.contains("in English") && system.contains("ZX0"),
            "{system}"
        );
        assert_eq!(
            reply_user(
                &["Order ZX0: placed 2025-03-02".into()],
                " When does it ship? "
            ),
            "Facts:\n- Order ZX0: placed 2025-03-02\n\nBuyer's message:\nWhen does it ship?"
        );
        assert!(reply_user(&[], "Hi").contains("- (none)"));
        assert_eq!(REPLY_VERSION, "reply-v1", "a new wording is a new version");
    }
}
