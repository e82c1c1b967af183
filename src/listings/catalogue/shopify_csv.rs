//! The Shopify product CSV (legacy export): one row per variant or image, rows of a
//! product sharing its Handle, product fields only on the product's first row.

use std::path::Path;

use csv::StringRecord;

use crate::files::{Column, CsvExport, FileError, cell};
use crate::money::parse_price_cents;

/// Column names of the legacy export, then of the 2024+ export, for the fields the
/// translated copy also writes.
pub const HANDLE_COLUMNS: [&str; 2] = ["Handle", "URL handle"];
pub const BODY_COLUMNS: [&str; 2] = ["Body (HTML)", "Description"];
pub const SEO_TITLE_COLUMNS: [&str; 2] = ["SEO Title", "SEO title"];
pub const SEO_DESCRIPTION_COLUMNS: [&str; 2] = ["SEO Description", "SEO description"];
pub const IMAGE_ALT_COLUMNS: [&str; 2] = ["Image Alt Text", "Image alt text"];
pub const IMAGE_POSITION_COLUMNS: [&str; 2] = ["Image Position", "Image position"];

/// A product export decoded whole (any encoding and separator).
type TextExport = CsvExport<std::io::Cursor<Vec<u8>>>;

pub const FORMAT: &str = "Shopify product CSV";

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedListing {
    pub handle: String,
    pub title: String,
    pub body_html: String,
    pub vendor: String,
    pub product_type: String,
    pub tags: String,
    pub seo_title: String,
    pub seo_description: String,
    pub status: String,
    pub variants: Vec<ParsedVariant>,
    pub images: Vec<ParsedImage>,
    /// Option names and values, text metafields: translated like the listing's own fields.
    pub extra_fields: Vec<ExtraField>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExtraField {
    /// option_name:<n>, option_value:<n>:<value>, metafield:<namespace.key>, column:<header>
    pub name: String,
    pub text: String,
    pub html: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedVariant {
    pub sku: String,
    /// "Colour: Sand / Size: M"; empty for a product without options.
    pub options: String,
    pub price_cents: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ParsedImage {
    pub position: i64,
    pub src: String,
    pub alt_text: String,
}

struct Columns {
    handle: Column,
    title: Column,
    body: Option<Column>,
    vendor: Option<Column>,
    product_type: Option<Column>,
    tags: Option<Column>,
    seo_title: Option<Column>,
    seo_description: Option<Column>,
    status: Option<Column>,
    option_names: [Option<Column>; 3],
    option_values: [Option<Column>; 3],
    option_links: [Option<Column>; 3],
    sku: Option<Column>,
    price: Option<Column>,
    image_src: Option<Column>,
    image_position: Option<Column>,
    image_alt: Option<Column>,
    /// Text metafields, with their `namespace.key`.
    metafields: Vec<(Column, String)>,
}

/// The `namespace.key` of a metafield column of the 2024+ export ("Care guide
/// (product.metafields.custom.care_guide)"), unless its namespace is not the seller's
/// text: Shopify's category metafields (references to its taxonomy), the Google
/// Shopping app's codes, and namespaces Shopify or an app owns (`shopify--…`, such as
/// search boosts, and `app--…`), whose values their owner writes.
pub fn text_metafield(header: &str) -> Option<&str> {
    let key = header
        .trim()
        .rsplit_once("(product.metafields.")?
        .1
        .strip_suffix(')')?;
    let namespace = key.split('.').next()?;
    let owned_elsewhere = matches!(namespace, "shopify" | "mm-google-shopping")
        || namespace.starts_with("shopify--")
        || namespace.starts_with("app--");
    (!owned_elsewhere).then_some(key)
}

/// Whether this row says that option `n` (0-based) takes its values from a metafield
/// (`Option1 Linked To` = `product.metafields.shopify.color-pattern`): each value then
/// names an entry of a metaobject, which Shopify looks up by that very text, so the
/// value must stay as it is (its translation belongs to the metaobject).
fn option_is_linked(record: &StringRecord, linked_to: &[Option<Column>; 3], n: usize) -> bool {
    !cell(record, linked_to[n].as_ref()).is_empty()
}

/// Whether a metafield's value is prose worth translating: not a number, a boolean, a
/// URL, a reference or JSON (rich text and lists are JSON).
fn is_prose(value: &str) -> bool {
    let value = value.trim();
    value.chars().any(char::is_alphabetic)
        && !value.starts_with(['{', '['])
        && !value.starts_with("gid://")
        && !value.starts_with("http")
        && !matches!(value, "true" | "false" | "TRUE" | "FALSE")
}

impl Columns {
    /// The legacy export's column names first, then the 2024+ export's.
    fn find(export: &TextExport) -> Result<Columns, FileError> {
        let option = |n: usize, what: &str| {
            export.optional(&[
                &format!("Option{n} {what}"),
                &format!("Option{n} {}", what.to_lowercase()),
            ])
        };
        let handle = match export.optional(&HANDLE_COLUMNS) {
            Some(column) => column,
            None => export.required(HANDLE_COLUMNS[0])?,
        };
        Ok(Columns {
            handle,
            title: export.required("Title")?,
            body: export.optional(&BODY_COLUMNS),
            vendor: export.optional(&["Vendor"]),
            product_type: export.optional(&["Type"]),
            tags: export.optional(&["Tags"]),
            seo_title: export.optional(&SEO_TITLE_COLUMNS),
            seo_description: export.optional(&SEO_DESCRIPTION_COLUMNS),
            status: export.optional(&["Status"]),
            option_names: [option(1, "Name"), option(2, "Name"), option(3, "Name")],
            option_values: [option(1, "Value"), option(2, "Value"), option(3, "Value")],
            option_links: [
                option(1, "Linked To"),
                option(2, "Linked To"),
                option(3, "Linked To"),
            ],
            sku: export.optional(&["Variant SKU", "SKU"]),
            price: export.optional(&["Variant Price", "Price"]),
            image_src: export.optional(&["Image Src", "Product image URL"]),
            image_position: export.optional(&IMAGE_POSITION_COLUMNS),
            image_alt: export.optional(&IMAGE_ALT_COLUMNS),
            metafields: export
                .columns_where(|name| text_metafield(name).is_some())
                .into_iter()
                .filter_map(|column| {
                    let key = text_metafield(column.name())?.to_string();
                    Some((column, key))
                })
                .collect(),
        })
    }
}

/// Whether a file with these columns is a Shopify product export (legacy or 2024+).
pub fn is_shopify(columns: &[String]) -> bool {
    let has = |name: &str| columns.iter().any(|column| column == name);
    has("Title") && HANDLE_COLUMNS.iter().any(|name| has(name))
}

/// Reads every product of the file, in the file's order.
pub fn read(path: &Path) -> Result<Vec<ParsedListing>, FileError> {
    let mut export = CsvExport::open_text(path, FORMAT)?;
    let columns = Columns::find(&export)?;
    let mut listings: Vec<ParsedListing> = Vec::new();
    let mut option_names: [String; 3] = Default::default();
    let mut linked = [false; 3];
    let mut record = StringRecord::new();
    while export.read(&mut record)? {
        let handle = cell(&record, Some(&columns.handle));
        if handle.is_empty() {
            return Err(export.invalid(
                &record,
                &columns.handle,
                "every row needs the product's handle",
            ));
        }
        let starts_product = listings
            .last()
            .is_none_or(|listing| listing.handle != handle);
        if starts_product {
            if listings.iter().any(|listing| listing.handle == handle) {
                return Err(export.invalid(
                    &record,
                    &columns.handle,
                    "the rows of this product are not together; an earlier product has the same handle",
                ));
            }
            let title = cell(&record, Some(&columns.title));
            if title.is_empty() {
                return Err(export.invalid(
                    &record,
                    &columns.title,
                    "the first row of a product needs its title",
                ));
            }
            option_names = std::array::from_fn(|n| {
                cell(&record, columns.option_names[n].as_ref()).to_string()
            });
            linked = [false; 3];
            listings.push(ParsedListing {
                handle: handle.to_string(),
                title: title.to_string(),
                body_html: cell(&record, columns.body.as_ref()).to_string(),
                vendor: cell(&record, columns.vendor.as_ref()).to_string(),
                product_type: cell(&record, columns.product_type.as_ref()).to_string(),
                tags: cell(&record, columns.tags.as_ref()).to_string(),
                seo_title: cell(&record, columns.seo_title.as_ref()).to_string(),
                seo_description: cell(&record, columns.seo_description.as_ref()).to_string(),
                status: cell(&record, columns.status.as_ref()).to_string(),
                variants: Vec::new(),
                images: Vec::new(),
                extra_fields: product_fields(&record, &columns, &option_names),
            });
        }
        let variant = read_variant(&export, &record, &columns, &option_names)?;
        let image = read_image(&export, &record, &columns)?;
        if let Some(listing) = listings.last_mut() {
            add_option_values(listing, &record, &columns, &option_names, &mut linked);
            listing.variants.extend(variant);
            if let Some(mut image) = image {
                if image.position == 0 {
                    image.position = listing.images.len() as i64 + 1;
                }
                listing.images.push(image);
            }
        }
    }
    Ok(listings)
}

/// The option names and text metafields of a product's first row.
fn product_fields(
    record: &StringRecord,
    columns: &Columns,
    option_names: &[String; 3],
) -> Vec<ExtraField> {
    let options = option_names
        .iter()
        .enumerate()
        .filter(|(_, name)| !name.is_empty() && name.as_str() != "Title")
        .map(|(n, name)| ExtraField {
            name: format!("option_name:{}", n + 1),
            text: name.clone(),
            html: false,
        });
    let metafields = columns.metafields.iter().filter_map(|(column, key)| {
        let value = cell(record, Some(column));
        is_prose(value).then(|| ExtraField {
            name: format!("metafield:{key}"),
            text: value.to_string(),
            html: value.starts_with('<'),
        })
    });
    options.chain(metafields).collect()
}

/// Each option value a product offers, once; none of an option that any of its rows
/// links to a metafield.
fn add_option_values(
    listing: &mut ParsedListing,
    record: &StringRecord,
    columns: &Columns,
    option_names: &[String; 3],
    linked: &mut [bool; 3],
) {
    for (n, column) in columns.option_values.iter().enumerate() {
        if !linked[n] && option_is_linked(record, &columns.option_links, n) {
            linked[n] = true;
            let prefix = option_value_field(n + 1, "");
            listing
                .extra_fields
                .retain(|field| !field.name.starts_with(&prefix));
        }
        let value = cell(record, column.as_ref());
        if value.is_empty() || option_names[n] == "Title" || linked[n] {
            continue;
        }
        let name = option_value_field(n + 1, value);
        if !listing.extra_fields.iter().any(|field| field.name == name) {
            listing.extra_fields.push(ExtraField {
                name,
                text: value.to_string(),
                html: false,
            });
        }
    }
}

/// The field of option `n`'s value `value` (its text is part of the name: a value is
/// found again by its text in the file).
pub fn option_value_field(n: usize, value: &str) -> String {
    format!("option_value:{n}:{value}")
}

fn read_variant(
    export: &TextExport,
    record: &StringRecord,
    columns: &Columns,
    option_names: &[String; 3],
) -> Result<Option<ParsedVariant>, FileError> {
    let sku = cell(record, columns.sku.as_ref());
    let price = cell(record, columns.price.as_ref());
    let values: Vec<&str> = columns
        .option_values
        .iter()
        .map(|column| cell(record, column.as_ref()))
        .collect();
    if sku.is_empty() && price.is_empty() && values.iter().all(|value| value.is_empty()) {
        return Ok(None);
    }
    let options = option_names
        .iter()
        .zip(&values)
        .filter(|(name, value)| {
            !(value.is_empty() || name.as_str() == "Title" && **value == "Default Title")
        })
        .map(|(name, value)| format!("{name}: {value}"))
        .collect::<Vec<_>>()
        .join(" / ");
    // Semicolon-separated files come from spreadsheets set to a European locale,
    // which write the decimal mark as a comma ("12,50").
    let price = if export.delimiter == b';' && !price.contains('.') {
        price.replacen(',', ".", 1)
    } else {
        price.to_string()
    };
    let price_cents = match (&columns.price, price.is_empty()) {
        (Some(column), false) => Some(
            parse_price_cents(&price).map_err(|reason| export.invalid(record, column, reason))?,
        ),
        _ => None,
    };
    Ok(Some(ParsedVariant {
        sku: sku.to_string(),
        options,
        price_cents,
    }))
}

fn read_image(
    export: &TextExport,
    record: &StringRecord,
    columns: &Columns,
) -> Result<Option<ParsedImage>, FileError> {
    let src = cell(record, columns.image_src.as_ref());
    if src.is_empty() {
        return Ok(None);
    }
    let position_text = cell(record, columns.image_position.as_ref());
    let position = match (&columns.image_position, position_text.is_empty()) {
        (Some(column), false) => position_text
            .parse::<i64>()
            .map_err(|_| export.invalid(record, column, "not a whole number"))?,
        _ => 0,
    };
    Ok(Some(ParsedImage {
        position,
        src: src.to_string(),
        alt_text: cell(record, columns.image_alt.as_ref()).to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Handle,Title,Body (HTML),Vendor,Option1 Name,Option1 Value,Option2 Name,Option2 Value,Variant SKU,Variant Price,Image Src,Image Position,Image Alt Text\r\n";

    fn parse(rows: &str) -> Result<Vec<ParsedListing>, FileError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("products.csv");
        std::fs::write(&path, format!("\u{feff}{HEADER}{rows}")).unwrap();
        read(&path)
    }

    #[test]
    fn variant_and_image_rows_join_their_product() {
        let listings = parse(concat!(
            "mug,Mug,\"<p>A &amp; B</p>\r\n<ul><li>x</li></ul>\",Kumo,Colour,Sand,Size,S,MUG-1,24.00,https://x/1.jpg,1,Mug front\r\n",
            "mug,,,,,Slate,,L,MUG-2,26.5,https://x/2.jpg,2,Mug side\r\n",
            "pen,Pen,,Ink,Title,Default Title,,,PEN-1,9,,,\r\n",
        ))
        .unwrap();
        assert_eq!(listings.len(), 2);
        let mug = &listings[0];
        assert_eq!(mug.body_html, "<p>A &amp; B</p>\r\n<ul><li>x</li></ul>");
        assert_eq!(mug.variants[1].options, "Colour: Slate / Size: L");
        assert_eq!(mug.variants[1].price_cents, Some(2650));
        assert_eq!(
            mug.images
                .iter()
                .map(|image| image.position)
                .collect::<Vec<_>>(),
            [1, 2]
        );
        assert_eq!(
            listings[1].variants[0].options, "",
            "Shopify's 'Default Title' is no option"
        );
    }

    #[test]
    fn an_option_linked_to_a_metafield_and_app_owned_metafields_are_not_offered_for_translation() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("wigs.csv");
        std::fs::write(
            &path,
            "Handle,Title,Option1 Name,Option1 Value,Option1 Linked To,Option2 Name,Option2 Value,Option2 Linked To,\
             Variant SKU,Variant Price,Hair type (product.metafields.custom.hair_type),\
             Search product boosts (product.metafields.shopify--discovery--product_search_boost.queries),\
             Fit note (product.metafields.app--4567--wig.fit_note)\r\n\
             wave-wig,Body Wave Wig,Color,Natural Black,product.metafields.shopify.color-pattern,Length,16 inch,,W-1,189.00,Human hair,body wave wig,Fits most heads\r\n\
             wave-wig,,,Dark Brown,,,20 inch,,W-2,209.00,,,\r\n\
             scarf,Scarf,Colour,Red,,,,,S-1,10.00,,,\r\n\
             scarf,,,Blue,product.metafields.shopify.color-pattern,,,,S-2,10.00,,,\r\n",
        )
        .unwrap();
        let listings = read(&path).unwrap();
        let fields: Vec<&str> = listings[0]
            .extra_fields
            .iter()
            .map(|field| field.name.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "option_name:1",
                "option_name:2",
                "metafield:custom.hair_type",
                "option_value:2:16 inch",
                "option_value:2:20 inch"
            ],
            "the linked colour's values and the Shopify and app metafields stay as they are"
        );
        assert_eq!(
            listings[0].variants[1].options, "Color: Dark Brown / Length: 20 inch",
            "a linked option is still an option of its variants"
        );
        let scarf: Vec<&str> = listings[1]
            .extra_fields
            .iter()
            .map(|field| field.name.as_str())
            .collect();
        assert_eq!(
            scarf,
            ["option_name:1"],
            "linked on a later row: no value either"
        );
    }

    #[test]
    fn a_bad_price_names_the_line_and_column() {
        let error = parse("mug,Mug,,,,,,,MUG-1,\"24,00\",,,\r\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("row 2") && error.contains("'Variant Price'") && error.contains("24,00"),
            "{error}"
        );
    }

    #[test]
    fn a_product_without_a_title_is_refused() {
        let error = parse("mug,,,,,,,,MUG-1,1,,,\r\n").unwrap_err().to_string();
        assert!(error.contains("needs its title"), "{error}");
    }

    /// The demo catalogue rewritten with another separator and encoding.
    fn demo_as(
        dir: &Path,
        delimiter: u8,
        encoding: crate::files::TextEncoding,
    ) -> std::path::PathBuf {
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(
            include_bytes!("../../../assets/demo/products.csv")
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap(),
        );
        let mut writer = csv::WriterBuilder::new()
            .delimiter(delimiter)
            .from_writer(Vec::new());
        for record in reader.records() {
            writer.write_record(&record.unwrap()).unwrap();
        }
        let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
        let path = dir.join("products-converted.csv");
        std::fs::write(&path, crate::files::encode(&text, encoding)).unwrap();
        path
    }

    #[test]
    fn utf16_tab_separated_and_windows_1252_semicolon_files_read_like_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let original =
            read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/products.csv")).unwrap();
        let utf16 = demo_as(dir.path(), b'\t', crate::files::TextEncoding::Utf16Le);
        assert_eq!(read(&utf16).unwrap(), original);

        // Windows-1252 has no emoji: a small file of its own.
        let path = dir.path().join("excel.csv");
        let text = "Handle;Title;Body (HTML);Vendor;Variant SKU;Variant Price\r\ncafe-mug;Caf\u{e9} mug;<p>Cr\u{e8}me \u{20ac} 5</p>;K\u{f6}ln;CM-1;12,50\r\n";
        std::fs::write(
            &path,
            crate::files::encode(text, crate::files::TextEncoding::Windows1252),
        )
        .unwrap();
        let listings = read(&path).unwrap();
        assert_eq!(listings[0].title, "Caf\u{e9} mug");
        assert_eq!(listings[0].body_html, "<p>Cr\u{e8}me \u{20ac} 5</p>");
        assert_eq!(listings[0].vendor, "K\u{f6}ln");
        assert_eq!(listings[0].variants[0].price_cents, Some(1250));
    }

    #[test]
    fn the_2024_export_reads_like_the_legacy_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("products_export.csv");
        std::fs::write(
            &path,
            "Title,URL handle,Description,Vendor,Type,Tags,Status,SKU,Price,Option1 name,Option1 value,Product image URL,Image position,Image alt text,SEO title,SEO description,Color (product.metafields.shopify.color-pattern)\r\n\
             Kumo Mug,kumo-mug,<p>Stoneware</p>,Kumo,Mug,\"mug, tea\",active,KM-1,24.00,Colour,Sand,https://example.com/m.jpg,1,A sand mug,Kumo Mug | Kumo,Hand-thrown mug,sand\r\n\
             ,kumo-mug,,,,,,KM-2,24.00,,Slate,,,,,,\r\n",
        )
        .unwrap();
        let listings = read(&path).unwrap();
        assert_eq!(listings.len(), 1);
        let mug = &listings[0];
        assert_eq!(
            (mug.handle.as_str(), mug.body_html.as_str()),
            ("kumo-mug", "<p>Stoneware</p>")
        );
        assert_eq!(
            (mug.seo_title.as_str(), mug.seo_description.as_str()),
            ("Kumo Mug | Kumo", "Hand-thrown mug")
        );
        assert_eq!(mug.variants.len(), 2);
        assert_eq!(mug.variants[0].options, "Colour: Sand");
        assert_eq!(mug.variants[1].sku, "KM-2");
        assert_eq!(mug.images[0].alt_text, "A sand mug");
        assert_eq!(
            mug.extra_fields
                .iter()
                .map(|field| field.name.as_str())
                .collect::<Vec<_>>(),
            [
                "option_name:1",
                "option_value:1:Sand",
                "option_value:1:Slate"
            ],
            "Shopify's colour metafield is a reference, not text"
        );
    }

    #[test]
    fn only_text_metafields_are_translated() {
        assert_eq!(
            text_metafield("Care guide (product.metafields.custom.care_guide)"),
            Some("custom.care_guide")
        );
        assert_eq!(
            text_metafield("Color (product.metafields.shopify.color-pattern)"),
            None
        );
        assert_eq!(text_metafield("Title"), None);
        assert!(is_prose("Wash cold."));
        for code in [
            "42",
            "true",
            "gid://shopify/Metaobject/1",
            "{\"type\":\"root\"}",
            "https://x.y",
        ] {
            assert!(!is_prose(code), "{code}");
        }
    }

    #[test]
    fn the_demo_catalogue_reads_whole() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo/products.csv");
        let listings = read(&path).unwrap();
        assert_eq!(listings.len(), 30);
        assert!(
            listings
                .iter()
                .all(|listing| !listing.variants.is_empty() && !listing.images.is_empty())
        );
        assert!(
            listings
                .iter()
                .map(|listing| listing.variants.len())
                .sum::<usize>()
                > 60
        );
    }
}
