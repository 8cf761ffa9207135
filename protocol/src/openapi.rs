//! OpenAPI schemas for wire strings whose rules a plain `String` schema
//! cannot say (only with the `openapi` feature, which only the server turns
//! on). They mirror the checks of `pt_actors::domain::validate`, so a document
//! reader — or a fuzzer — knows what the server accepts.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};

/// A name: one line of 1 to 200 characters once the server has trimmed white
/// space (Rust's `char::is_whitespace`, listed here; some of it is control
/// characters) from both ends; no control character inside. The length is in
/// the pattern, not `maxLength`, because it counts after trimming (titles
/// use the same pattern with 255).
pub const ONE_LINE: &str = r"^[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f]([^\u0000-\u001f\u007f-\u009f]{0,198}[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f])?[\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$";

/// `name@domain.tld`: no spaces or control characters, one `@`, a dotted domain.
pub const EMAIL: &str =
    r"^[^\s@\u0000-\u001f\u007f-\u009f]+@[^\s@.\u0000-\u001f\u007f-\u009f]+(\.[^\s@.\u0000-\u001f\u007f-\u009f]+)+$";

/// Not blank: at least one character that is not white space as the server
/// trims it (Rust's `char::is_whitespace`: ECMAScript's `\S` would let
/// U+0085 through).
pub const NOT_BLANK: &str = r"[^\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]";

/// A skill tag: 1 to 64 characters, not blank (the server trims,
/// lower-cases and de-duplicates them).
fn skill_tag() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(64)).pattern(Some(NOT_BLANK))
}

/// At most 50 skill tags.
pub fn skills() -> ArrayBuilder {
    ArrayBuilder::new().items(skill_tag()).max_items(Some(50))
}

/// An IANA time zone name the server knows (`UTC`, `Europe/London` …): the
/// list is the server's own time zone database, so the document and the
/// check cannot disagree.
pub struct TimeZoneName;

impl utoipa::PartialSchema for TimeZoneName {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())))
            .description(Some("An IANA time zone name, e.g. `Europe/London` or `UTC`."))
            .into()
    }
}

impl utoipa::ToSchema for TimeZoneName {}

/// [`skills`] in a patch: absent or `null` leaves them alone.
pub fn skills_or_null() -> ArrayBuilder {
    skills().schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
}
