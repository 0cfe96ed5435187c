//! Container image references: `[registry[:port]/]repository[:tag][@digest]`.

use crate::rule_context::{Container, PodContext};

/// The parts of an image reference that rules care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageRef<'a> {
    pub repository: &'a str,
    pub tag: Option<&'a str>,
    pub digest: Option<&'a str>,
}

impl<'a> ImageRef<'a> {
    /// Splits a reference. A `:` before the last `/` belongs to a registry port, not a tag.
    pub fn parse(image: &'a str) -> Self {
        let image = image.trim();
        let (rest, digest) = match image.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (image, None),
        };
        let name_start = rest.rfind('/').map_or(0, |i| i + 1);
        let (repository, tag) = match rest[name_start..].rfind(':') {
            Some(i) => (&rest[..name_start + i], Some(&rest[name_start + i + 1..])),
            None => (rest, None),
        };
        Self {
            repository,
            tag: tag.filter(|t| !t.is_empty()),
            digest: digest.filter(|d| !d.is_empty()),
        }
    }

    /// A `latest` tag (the tag the runtime picks for an untagged image too).
    pub fn is_latest(&self) -> bool {
        self.tag == Some("latest")
    }

    /// True when the reference can move to other content: no digest, and no tag or `latest`.
    pub fn is_floating(&self) -> bool {
        self.digest.is_none() && (self.tag.is_none() || self.is_latest())
    }

    /// Values such as `{{ .Values.image }}` or `${IMAGE}` are filled in later; judge nothing.
    pub fn is_templated(image: &str) -> bool {
        image.contains("{{") || image.contains("${") || image.contains("$(")
    }
}

/// Every container with a judgeable image (present and not a template placeholder), with it.
pub fn images<'c, 'a>(
    pod: &'c PodContext<'a>,
) -> impl Iterator<Item = (&'c Container<'a>, &'a str, ImageRef<'a>)> {
    pod.containers.iter().filter_map(|c| {
        let image = c.get("image")?.as_str()?;
        if image.trim().is_empty() || ImageRef::is_templated(image) {
            return None;
        }
        Some((c, image, ImageRef::parse(image)))
    })
}

#[cfg(test)]
mod tests {
    use super::ImageRef;

    #[test]
    fn splits_registry_ports_tags_and_digests() {
        let r = ImageRef::parse("registry.local:5000/team/app:1.2@sha256:abc");
        assert_eq!(r.repository, "registry.local:5000/team/app");
        assert_eq!(r.tag, Some("1.2"));
        assert_eq!(r.digest, Some("sha256:abc"));
        let r = ImageRef::parse("registry.local:5000/app");
        assert_eq!((r.repository, r.tag), ("registry.local:5000/app", None));
        assert!(ImageRef::parse("nginx").is_floating());
        assert!(ImageRef::parse("nginx:latest").is_latest());
        assert!(!ImageRef::parse("nginx@sha256:00").is_floating());
        assert!(ImageRef::is_templated("{{ .Values.image }}"));
    }
}
