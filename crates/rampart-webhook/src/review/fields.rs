//! Decoders for the parts of a request the webhook reads, used inside the single pass over the
//! body. None of them fails on a wrong type: they record it, so the envelope check can name the
//! offending field (`request.namespace has the wrong type`) instead of reporting a JSON error,
//! and so a strange object falls back to the full decode instead of failing the request.
//! Strings without escapes are borrowed from the body; nothing is built for fields nobody reads.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// Consumes the rest of a sequence or map so the parser moves past a value of the wrong type.
fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements the visitor methods of every JSON value other than maps as `$wrong`.
macro_rules! scalars_are {
    ($wrong:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($wrong)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($wrong)
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($wrong)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($wrong)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            drain_seq(seq).map(|()| $wrong)
        }
    };
}

/// A string field: absent or `null`, a string, or something else.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) enum Text<'a> {
    #[default]
    Missing,
    Str(Cow<'a, str>),
    Wrong,
}

impl<'a> Text<'a> {
    /// The string (empty when absent), or `None` for a wrong type.
    pub(crate) fn into_string(self) -> Option<String> {
        match self {
            Text::Missing => Some(String::new()),
            Text::Str(s) => Some(s.into_owned()),
            Text::Wrong => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Text::Str(s) => Some(s),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Text::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Text::Str(Cow::Owned(s.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Text::Missing)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map).map(|()| Text::Wrong)
            }
            scalars_are!(Text::Wrong);
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A boolean field: absent or `null`, a boolean, or something else.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) enum Flag {
    #[default]
    Missing,
    Bool(bool),
    Wrong,
}

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(Flag::Bool(b))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Flag::Missing)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Flag::Wrong)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Flag::Wrong)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Flag::Wrong)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Flag::Wrong)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq).map(|()| Flag::Wrong)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map).map(|()| Flag::Wrong)
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads a map key and finds it among `names` (escaped keys are compared unescaped).
fn next_key<'de, A: MapAccess<'de>>(
    map: &mut A,
    names: &'static [&'static str],
) -> Result<Option<usize>, A::Error> {
    struct Seed(&'static [&'static str]);
    impl<'de> de::DeserializeSeed<'de> for Seed {
        type Value = usize;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
            d.deserialize_identifier(self)
        }
    }
    impl<'de> Visitor<'de> for Seed {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a key")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<usize, E> {
            Ok(self.0.iter().position(|n| *n == s).unwrap_or(self.0.len()))
        }
    }
    map.next_key_seed(Seed(names))
}

/// `request.resource` (`group`, `resource`) or `request.userInfo` (`username`): a mapping of
/// string fields. `wrong` is set for a non-mapping, a field of the wrong type or a field given
/// twice (what a derived decoder would reject).
#[derive(Debug, Default)]
pub(crate) struct Strings<'a, const USER: bool> {
    pub(crate) values: [Text<'a>; 2],
    pub(crate) wrong: bool,
}

const RESOURCE_KEYS: &[&str] = &["group", "resource"];
const USER_KEYS: &[&str] = &["username"];

impl<'de: 'a, 'a, const USER: bool> Deserialize<'de> for Strings<'a, USER> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a, const USER: bool>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a, const USER: bool> Visitor<'de> for V<'a, USER> {
            type Value = Strings<'a, USER>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Strings::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(wrong())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let names = if USER { USER_KEYS } else { RESOURCE_KEYS };
                let mut out = Strings::default();
                let mut seen = [false; 2];
                while let Some(i) = next_key(&mut map, names)? {
                    if i >= names.len() {
                        map.next_value::<IgnoredAny>()?;
                        continue;
                    }
                    let v: Text<'a> = map.next_value()?;
                    out.wrong |= seen[i] || v == Text::Wrong;
                    seen[i] = true;
                    out.values[i] = v;
                }
                Ok(out)
            }
            scalars_are!(wrong());
        }
        fn wrong<'a, const USER: bool>() -> Strings<'a, USER> {
            Strings {
                wrong: true,
                ..Strings::default()
            }
        }
        d.deserialize_any(V::<'a, USER>(PhantomData))
    }
}

/// `metadata` of the object, as far as Pod Security reads it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Meta<'a> {
    #[default]
    Absent,
    Null,
    Map {
        annotations: Option<&'a str>,
    },
    /// Not a mapping, or `annotations` given twice: the full decode decides.
    Unusable,
}

impl<'de: 'a, 'a> Deserialize<'de> for Meta<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Meta<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Meta::Null)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Meta::Unusable)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut annotations = None;
                let mut twice = false;
                while let Some(i) = next_key(&mut map, &["annotations"])? {
                    if i == 0 {
                        let raw: &'de RawValue = map.next_value()?;
                        twice |= annotations.is_some();
                        annotations = Some(raw.get());
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(if twice {
                    Meta::Unusable
                } else {
                    Meta::Map { annotations }
                })
            }
            scalars_are!(Meta::Unusable);
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// `request.object` split into the raw JSON text of what Pod Security reads (`apiVersion`,
/// `kind`, `metadata.annotations`, `spec`), all borrowed from the body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum ObjectIn<'a> {
    /// Absent or `null`.
    #[default]
    Absent,
    Split(Parts<'a>),
    /// Not a mapping, or a part given twice: only the full decode can tell what it means.
    Unsplit,
}

/// The raw parts of an object; `None` for a part that is absent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Parts<'a> {
    pub(crate) api_version: Option<&'a str>,
    pub(crate) kind: Option<&'a str>,
    pub(crate) metadata: Meta<'a>,
    pub(crate) spec: Option<&'a str>,
}

const OBJECT_KEYS: &[&str] = &["apiVersion", "kind", "metadata", "spec"];

impl<'de: 'a, 'a> Deserialize<'de> for ObjectIn<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = ObjectIn<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ObjectIn::Absent)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(ObjectIn::Unsplit)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut p = Parts::default();
                let mut seen = [false; 4];
                let mut clean = true;
                while let Some(i) = next_key(&mut map, OBJECT_KEYS)? {
                    if let Some(s) = seen.get_mut(i) {
                        clean &= !*s;
                        *s = true;
                    }
                    match i {
                        2 => p.metadata = map.next_value()?,
                        0 | 1 | 3 => {
                            let raw: &'de RawValue = map.next_value()?;
                            let slot = match i {
                                0 => &mut p.api_version,
                                1 => &mut p.kind,
                                _ => &mut p.spec,
                            };
                            *slot = Some(raw.get());
                        }
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(if clean && p.metadata != Meta::Unusable {
                    ObjectIn::Split(p)
                } else {
                    ObjectIn::Unsplit
                })
            }
            scalars_are!(ObjectIn::Unsplit);
        }
        d.deserialize_any(V(PhantomData))
    }
}
