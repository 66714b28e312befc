//! Filling a JSON value again, in place, from a `Serialize` value.
//!
//! A template's context is turned into a `serde_json::Value` before Tera
//! reads it. For the outputs that list thousands of pages, making that value
//! (and dropping it afterwards) costs as much as filling the template, and
//! after an edit almost all of it is as it was. [`refill`] writes the new
//! value over the old one, keeping every string, map and array whose content
//! is unchanged, so serve re-renders lists without allocating them anew.
//! The result always equals `serde_json::to_value` of the same value.

use serde::ser::{self, Impossible, Serialize};
use serde_json::{Error, Map, Value};

/// Makes `target` equal to `serde_json::to_value(value)`, reusing what it holds.
pub(crate) fn refill<T: Serialize + ?Sized>(target: &mut Value, value: &T) -> Result<(), Error> {
    let mut stale = false;
    value.serialize(Refill {
        target,
        stale: &mut stale,
    })?;
    // A map kept keys the new value does not have: make it afresh.
    if stale {
        *target = serde_json::to_value(value)?;
    }
    Ok(())
}

struct Refill<'a> {
    target: &'a mut Value,
    /// Set when a map ended with keys that were not filled again.
    stale: &'a mut bool,
}

impl<'a> Refill<'a> {
    fn set(self, value: Value) -> Result<(), Error> {
        *self.target = value;
        Ok(())
    }

    fn map(self) -> Fill<'a> {
        if !self.target.is_object() {
            *self.target = Value::Object(Map::new());
        }
        Fill {
            target: self.target,
            stale: self.stale,
            filled: 0,
            key: String::new(),
        }
    }

    fn seq(self) -> FillSeq<'a> {
        if !self.target.is_array() {
            *self.target = Value::Array(Vec::new());
        }
        FillSeq {
            target: self.target,
            stale: self.stale,
            at: 0,
        }
    }
}

/// Shapes templates' contexts do not use: made as `serde_json` makes them.
struct Whole<'a, S> {
    target: &'a mut Value,
    inner: S,
}

impl<'a> ser::Serializer for Refill<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = FillSeq<'a>;
    type SerializeTuple = FillSeq<'a>;
    type SerializeTupleStruct = FillSeq<'a>;
    type SerializeTupleVariant =
        Whole<'a, <serde_json::value::Serializer as ser::Serializer>::SerializeTupleVariant>;
    type SerializeMap = Fill<'a>;
    type SerializeStruct = Fill<'a>;
    type SerializeStructVariant =
        Whole<'a, <serde_json::value::Serializer as ser::Serializer>::SerializeStructVariant>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.set(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.set(serde_json::value::Serializer.serialize_i128(v)?)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.set(Value::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.set(serde_json::value::Serializer.serialize_u128(v)?)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.set(serde_json::value::Serializer.serialize_f32(v)?)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.set(serde_json::value::Serializer.serialize_f64(v)?)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        match self.target {
            Value::String(s) if s == v => {}
            Value::String(s) => {
                s.clear();
                s.push_str(v);
            }
            other => *other = Value::String(v.to_string()),
        }
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.set(serde_json::value::Serializer.serialize_bytes(v)?)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.set(Value::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.set(Value::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.set(Value::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let v =
            serde_json::value::Serializer.serialize_newtype_variant(name, index, variant, value)?;
        self.set(v)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<FillSeq<'a>, Error> {
        Ok(self.seq())
    }
    fn serialize_tuple(self, _: usize) -> Result<FillSeq<'a>, Error> {
        Ok(self.seq())
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<FillSeq<'a>, Error> {
        Ok(self.seq())
    }
    fn serialize_tuple_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        let inner =
            serde_json::value::Serializer.serialize_tuple_variant(name, index, variant, len)?;
        Ok(Whole {
            target: self.target,
            inner,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Fill<'a>, Error> {
        Ok(self.map())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fill<'a>, Error> {
        Ok(self.map())
    }
    fn serialize_struct_variant(
        self,
        name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        let inner =
            serde_json::value::Serializer.serialize_struct_variant(name, index, variant, len)?;
        Ok(Whole {
            target: self.target,
            inner,
        })
    }
}

/// An array filled element by element, then cut to the new length.
struct FillSeq<'a> {
    target: &'a mut Value,
    stale: &'a mut bool,
    at: usize,
}

impl FillSeq<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let Value::Array(items) = &mut *self.target else {
            unreachable!("made an array by Refill::seq")
        };
        if self.at == items.len() {
            items.push(Value::Null);
        }
        value.serialize(Refill {
            target: &mut items[self.at],
            stale: self.stale,
        })?;
        self.at += 1;
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        if let Value::Array(items) = self.target {
            items.truncate(self.at);
        }
        Ok(())
    }
}

impl ser::SerializeSeq for FillSeq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTuple for FillSeq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleStruct for FillSeq<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// A map (or struct) filled entry by entry. Counting the entries filled
/// tells at the end whether old keys were left over (then `stale` is set).
struct Fill<'a> {
    target: &'a mut Value,
    stale: &'a mut bool,
    filled: usize,
    /// The key being filled, kept between entries so that it is not allocated each time.
    key: String,
}

impl Fill<'_> {
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        let Value::Object(map) = &mut *self.target else {
            unreachable!("made an object by Refill::map")
        };
        let slot = match map.get_mut(key) {
            Some(slot) => slot,
            None => map.entry(key.to_string()).or_insert(Value::Null),
        };
        value.serialize(Refill {
            target: slot,
            stale: self.stale,
        })?;
        self.filled += 1;
        Ok(())
    }

    fn finish(self) -> Result<(), Error> {
        if let Value::Object(map) = self.target {
            // More keys than entries filled: some are left from before (or a
            // key came twice); either way `refill` makes the value afresh.
            if map.len() != self.filled {
                *self.stale = true;
            }
        }
        Ok(())
    }
}

impl ser::SerializeMap for Fill<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key.clear();
        key.serialize(KeyText(&mut self.key))
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = std::mem::take(&mut self.key);
        let result = self.entry(&key, value);
        self.key = key;
        result
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeStruct for Fill<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.entry(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

impl ser::SerializeTupleVariant
    for Whole<'_, <serde_json::value::Serializer as ser::Serializer>::SerializeTupleVariant>
{
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.serialize_field(value)
    }
    fn end(self) -> Result<(), Error> {
        *self.target = self.inner.end()?;
        Ok(())
    }
}

impl ser::SerializeStructVariant
    for Whole<'_, <serde_json::value::Serializer as ser::Serializer>::SerializeStructVariant>
{
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.inner.serialize_field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        *self.target = self.inner.end()?;
        Ok(())
    }
}

/// A map key as `serde_json` writes it: a string, or a number or bool as text.
struct KeyText<'a>(&'a mut String);

fn key_error() -> Error {
    ser::Error::custom("key must be a string")
}

impl ser::Serializer for KeyText<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Impossible<(), Error>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Impossible<(), Error>;
    type SerializeStruct = Impossible<(), Error>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.0.push_str(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.0.push(v);
        Ok(())
    }
    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.0.push_str(&v.to_string());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.0.push_str(&v.to_string());
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_f64(self, _: f64) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use super::refill;
    use serde::Serialize;
    use serde_json::{json, Value};
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    struct Entry {
        title: String,
        number: Option<u32>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        kind: Kind,
    }

    #[derive(Serialize)]
    enum Kind {
        Page,
        Count(u8),
        Pair(u8, u8),
        Named { a: bool },
    }

    #[derive(Serialize)]
    struct Outer<E: Serialize> {
        entries: Vec<Entry>,
        #[serde(flatten)]
        extra: E,
    }

    fn entry(title: &str, number: Option<u32>, tags: &[&str], kind: Kind) -> Entry {
        Entry {
            title: title.into(),
            number,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            kind,
        }
    }

    /// Refills `old` with `new` and checks it equals `to_value(new)`.
    fn check<T: Serialize>(old: Value, new: &T) {
        let mut v = old;
        refill(&mut v, new).unwrap();
        assert_eq!(v, serde_json::to_value(new).unwrap());
    }

    #[test]
    fn equals_a_value_made_afresh_whatever_it_held() {
        let a = Outer {
            entries: vec![
                entry("One", Some(1), &["x"], Kind::Page),
                entry("Two", None, &[], Kind::Count(3)),
            ],
            extra: BTreeMap::from([("n", 1.5), ("m", f64::NAN)]),
        };
        let b = Outer {
            entries: vec![entry("Uno", None, &["y", "z"], Kind::Pair(1, 2))],
            extra: json!({"other": [1, "two", null]}),
        };
        let c = Outer {
            entries: vec![
                entry("Uno", Some(7), &[], Kind::Named { a: true }),
                entry("Dos", Some(8), &["w"], Kind::Page),
                entry("Tres", None, &[], Kind::Page),
            ],
            extra: BTreeMap::from([(3u8, 'c'), (4, 'd')]),
        };
        let values = [
            Value::Null,
            json!("text"),
            json!([1, 2, 3]),
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap(),
            serde_json::to_value(&c).unwrap(),
        ];
        for old in values {
            check(old.clone(), &a);
            check(old.clone(), &b);
            check(old, &c);
        }
    }

    #[test]
    fn keeps_nothing_of_keys_the_new_value_lacks() {
        // The same number of keys, but different ones.
        check(json!({"a": 1, "b": 2}), &json!({"a": 1, "c": 2}));
        check(json!({"a": {"x": 1, "y": 2}}), &json!({"a": {"x": 1}}));
        check(json!([{"a": 1}, {"b": 2}]), &json!([{"b": 1}]));
    }
}
