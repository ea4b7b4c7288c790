//! Small validated value types shared by the governance sources: ids,
//! versions, calendar dates and review cadences. Each rejects bad input at
//! deserialization, so the error carries the value's span.

use std::fmt;

use serde::{Deserialize, Deserializer, de::Error as _};

/// A stable id: lowercase ASCII letters, digits and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub struct Id(String);

impl Id {
    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `s` is a valid id.
    pub fn is_valid(s: &str) -> bool {
        !s.is_empty()
            && s.len() <= 64
            && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
            && !s.ends_with('-')
            && !s.contains("--")
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if Id::is_valid(&s) {
            Ok(Id(s))
        } else {
            Err(D::Error::custom(format!(
                "invalid id `{s}`: ids are lowercase letters, digits and hyphens"
            )))
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A semantic version such as `0.139.0` or `2026.11.0`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version(pub semver::Version);

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse::<semver::Version>()
            .map(Version)
            .map_err(|e| D::Error::custom(format!("invalid version `{s}`: {e}")))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl serde::Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A calendar date, written as a TOML local date (`2026-11-24`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => {
                jiff::civil::Date::new(date.year as i16, date.month as i8, date.day as i8)
                    .map(Date)
                    .map_err(|e| D::Error::custom(format!("invalid date `{dt}`: {e}")))
            }
            _ => Err(D::Error::custom(format!(
                "invalid date `{dt}`: expected a plain date such as 2026-11-24"
            ))),
        }
    }
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        s.parse::<jiff::civil::Date>().ok().map(Date)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A review cadence: a count and a unit, `30d`, `6w`, `3m` or `1y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cadence {
    count: u16,
    unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Cadence {
    /// Parses `90d`, `12w`, `6m`, `1y` (at most about a century).
    pub fn parse(s: &str) -> Option<Cadence> {
        let (last, _) = s.char_indices().last()?;
        let (num, unit) = s.split_at(last);
        let count: u16 = num.parse().ok().filter(|&n| n > 0)?;
        let (unit, max) = match unit {
            "d" => (Unit::Day, 36_500),
            "w" => (Unit::Week, 5_200),
            "m" => (Unit::Month, 1_200),
            "y" => (Unit::Year, 100),
            _ => return None,
        };
        (count <= max).then_some(Cadence { count, unit })
    }

    /// The date one cadence after `from` (months and years by the calendar).
    pub fn after(self, from: Date) -> Date {
        let n = i64::from(self.count);
        let span = match self.unit {
            Unit::Day => jiff::Span::new().try_days(n),
            Unit::Week => jiff::Span::new().try_weeks(n),
            Unit::Month => jiff::Span::new().try_months(n),
            Unit::Year => jiff::Span::new().try_years(n),
        };
        let date = span.ok().and_then(|span| from.0.checked_add(span).ok());
        Date(date.unwrap_or(jiff::civil::Date::MAX))
    }
}

impl<'de> Deserialize<'de> for Cadence {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Cadence::parse(&s).ok_or_else(|| {
            D::Error::custom(format!(
                "invalid duration `{s}`: expected a count and a unit (d, w, m or y), at most 100 years"
            ))
        })
    }
}

impl serde::Serialize for Cadence {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = match self.unit {
            Unit::Day => 'd',
            Unit::Week => 'w',
            Unit::Month => 'm',
            Unit::Year => 'y',
        };
        write!(f, "{}{u}", self.count)
    }
}

/// Whether `s` is an absolute `http://` or `https://` URL with a host and
/// no whitespace, control characters or quotes (it is written into the
/// CI workflow and the lock files).
pub fn is_http_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !r.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '\\' | '`')
            })
    })
}

/// JSON Schemas of the value types, as editors check them (taplo, tombi):
/// the same rules as the parsers above, written as patterns. The parsers
/// stay the authority (a cadence's upper bound is not a pattern).
mod schema {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    use super::{Cadence, Date, Id, Version};

    macro_rules! string_schema {
        ($ty:ty, $name:literal, $schema:tt) => {
            impl JsonSchema for $ty {
                fn inline_schema() -> bool {
                    true
                }
                fn schema_name() -> Cow<'static, str> {
                    $name.into()
                }
                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    json_schema!($schema)
                }
            }
        };
    }

    string_schema!(Id, "Id", {
        "type": "string",
        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$",
        "maxLength": 64
    });
    string_schema!(Version, "Version", {
        "type": "string",
        "pattern": "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$"
    });
    // A TOML local date: editors hand it to the schema as a string.
    string_schema!(Date, "Date", {
        "type": "string",
        "format": "date"
    });
    string_schema!(Cadence, "Cadence", {
        "type": "string",
        "pattern": "^[1-9][0-9]*[dwmy]$"
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["a", "pol-1", "high-risk-change", "0x"] {
            assert!(Id::is_valid(ok), "{ok}");
        }
        for bad in ["", "A", "a_b", "-a", "a-", "a--b", "a b", "é"] {
            assert!(!Id::is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn cadences() {
        let d = Date::parse("2026-01-31").unwrap();
        assert_eq!(
            Cadence::parse("1m").unwrap().after(d).to_string(),
            "2026-02-28"
        );
        assert_eq!(
            Cadence::parse("90d").unwrap().after(d).to_string(),
            "2026-05-01"
        );
        assert_eq!(Cadence::parse("2w").unwrap().to_string(), "2w");
        let far = Date::parse("9999-01-01").unwrap();
        assert_eq!(
            Cadence::parse("100y").unwrap().after(far).0,
            jiff::civil::Date::MAX
        );
        for bad in [
            "", "d", "0d", "5", "5h", "-1d", "1.5m", "5é", "é", "20000y", "101y", "65535d",
        ] {
            assert!(Cadence::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("2026-2-3").is_none());
        assert_eq!(Date::parse("2026-11-24").unwrap().to_string(), "2026-11-24");
    }
}
