//! Logs that are JSON documents rather than JSON lines: a pretty-printed `EventList` (what
//! `kubectl get --raw` or a log shipper's export gives), single Events, or a JSON array of
//! Events, one after the other. `items` are judged one at a time as they are parsed, so an
//! `EventList` of any size is streamed too.

use std::cell::Cell;
use std::fmt;
use std::io::{self, BufReader, Read};
use std::rc::Rc;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::engine::LineError;
use super::stream::{Detector, Emitted};

/// Counts newlines (for line numbers) and non-blank bytes (to tell a clean end of input
/// from a truncated document) as the parser reads.
struct Counting<R> {
    inner: BufReader<R>,
    newlines: Rc<Cell<u32>>,
    solid: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let got = &buf[..n];
        let nl = u32::try_from(memchr::memchr_iter(b'\n', got).count()).unwrap_or(u32::MAX);
        self.newlines.set(self.newlines.get().saturating_add(nl));
        let solid = got.iter().filter(|b| !b.is_ascii_whitespace()).count() as u64;
        self.solid.set(self.solid.get() + solid);
        Ok(n)
    }
}

struct Doc<'d> {
    det: &'d mut Detector,
    file: &'d str,
    newlines: Rc<Cell<u32>>,
    sink: &'d mut dyn FnMut(Emitted),
}

impl Doc<'_> {
    fn judge(&mut self, text: &str) {
        let line = self.newlines.get().saturating_add(1);
        self.det
            .judge_now(text.as_bytes(), self.file, line, self.sink);
    }
}

impl<'de> DeserializeSeed<'de> for &mut Doc<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for &mut Doc<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an audit Event, an EventList or an array of Events")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut fields: Vec<(String, Box<RawValue>)> = Vec::new();
        let mut had_items = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "items" {
                had_items = true;
                map.next_value_seed(Items(&mut *self))?;
            } else {
                fields.push((key, map.next_value::<Box<RawValue>>()?));
            }
        }
        if !had_items {
            // A single (pretty-printed) Event: put it back together as one line.
            let mut text = String::from("{");
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                text.push_str(&serde_json::Value::String(k.clone()).to_string());
                text.push(':');
                text.push_str(v.get());
            }
            text.push('}');
            self.judge(&text);
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(item) = seq.next_element::<Box<RawValue>>()? {
            self.judge(item.get());
        }
        Ok(())
    }
}

struct Items<'a, 'd>(&'a mut Doc<'d>);

impl<'de> DeserializeSeed<'de> for Items<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Items<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of Events")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.0.visit_seq(seq)
    }
}

/// Judges every document of `reader` in order.
pub(crate) fn run_documents<R: Read>(
    det: &mut Detector,
    reader: R,
    file: &str,
    sink: &mut dyn FnMut(Emitted),
) -> io::Result<()> {
    let newlines = Rc::new(Cell::new(0));
    let solid = Rc::new(Cell::new(0));
    let counting = Counting {
        inner: BufReader::new(reader),
        newlines: Rc::clone(&newlines),
        solid: Rc::clone(&solid),
    };
    let mut de = serde_json::Deserializer::from_reader(counting);
    loop {
        let before = solid.get();
        let mut doc = Doc {
            det: &mut *det,
            file,
            newlines: Rc::clone(&newlines),
            sink: &mut *sink,
        };
        match (&mut doc).deserialize(&mut de) {
            Ok(()) => {}
            Err(e) if e.is_eof() && solid.get() == before => return Ok(()),
            Err(e) if e.is_io() => return Err(io::Error::other(e)),
            Err(e) => {
                let line = u32::try_from(e.line()).unwrap_or(u32::MAX);
                let err = LineError {
                    column: u32::try_from(e.column()).unwrap_or(u32::MAX),
                    message: format!("not an audit Event or EventList: {e}"),
                };
                det.report_error(file, line, err, sink);
                // The parser cannot resynchronise inside a broken document.
                return Ok(());
            }
        }
    }
}
