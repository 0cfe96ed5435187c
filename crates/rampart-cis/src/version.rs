//! The Kubernetes version of control-plane images against the upstream support window.
//!
//! Upstream supports the three newest minor releases, each for about 14 months (12 months of
//! patches plus a two-month upgrade period). The window is fixed here rather than read from the
//! clock so results are reproducible: as of [`AS_OF`], releases 1.35, 1.36 and 1.37 are
//! supported ([`OLDEST_SUPPORTED_MINOR`]). Update both constants with each release.

/// The date the window below describes.
pub const AS_OF: &str = "2026-11-25";
/// Oldest minor of Kubernetes 1.x still receiving patches as of [`AS_OF`].
pub const OLDEST_SUPPORTED_MINOR: u32 = 35;

/// End-of-life dates of recent minors (upstream's published maintenance end).
const END_OF_LIFE: &[(u32, &str)] = &[
    (24, "2023-07-28"),
    (25, "2023-10-28"),
    (26, "2024-02-28"),
    (27, "2024-06-28"),
    (28, "2024-10-28"),
    (29, "2025-02-28"),
    (30, "2025-06-28"),
    (31, "2025-10-28"),
    (32, "2026-02-28"),
    (33, "2026-06-28"),
    (34, "2026-10-27"),
];

/// Images whose tag is the Kubernetes release.
pub const VERSIONED_IMAGES: &[&str] = &[
    "kube-apiserver",
    "kube-controller-manager",
    "kube-scheduler",
    "kube-proxy",
    "hyperkube",
    "cloud-controller-manager",
];

/// `major.minor.patch` of a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "v{}.{}.{}", self.major, self.minor, self.patch)
    }
}

/// `v1.27.3` (with any `-suffix` or `+build`) into a version.
pub fn parse(tag: &str) -> Option<Version> {
    let t = tag.strip_prefix('v')?;
    let core = t.split(['-', '+', '_']).next()?;
    let mut it = core.split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next()?.parse().ok()?;
    let patch = it.next().map_or(Some(0), |p| p.parse().ok())?;
    Some(Version {
        major,
        minor,
        patch,
    })
}

/// The component name and version of a versioned Kubernetes image (`…/kube-apiserver:v1.27.3`).
pub fn image_version(image: &str) -> Option<(&str, Version)> {
    let without_digest = image.split('@').next()?;
    let (repo, tag) = without_digest.rsplit_once(':')?;
    if tag.contains('/') {
        return None; // a registry port, not a tag
    }
    let name = repo.rsplit('/').next()?;
    let base = name.trim_end_matches("-amd64").trim_end_matches("-arm64");
    let known = VERSIONED_IMAGES.iter().find(|n| **n == base)?;
    Some((known, parse(tag)?))
}

/// Why a version is out of support, or `None` when it is supported.
pub fn unsupported(v: Version) -> Option<String> {
    if v.major != 1 || v.minor >= OLDEST_SUPPORTED_MINOR {
        return None;
    }
    let since = END_OF_LIFE
        .iter()
        .find(|(m, _)| *m == v.minor)
        .map_or_else(|| "long ago".to_string(), |(_, d)| format!("on {d}"));
    Some(format!(
        "Kubernetes {v} left upstream support {since}; as of {AS_OF} only 1.{}–1.{} get security fixes",
        OLDEST_SUPPORTED_MINOR,
        OLDEST_SUPPORTED_MINOR + 2
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_images() {
        let (name, v) = image_version("registry.k8s.io/kube-apiserver:v1.27.3").expect("version");
        assert_eq!((name, v.minor, v.patch), ("kube-apiserver", 27, 3));
        assert_eq!(
            image_version("localhost:5000/kube-proxy-amd64:v1.36.0-eks-1").map(|x| x.1.minor),
            Some(36)
        );
        assert!(image_version("registry.k8s.io/etcd:3.5.15-0").is_none());
        assert!(image_version("localhost:5000/kube-apiserver").is_none());
        assert!(image_version("nginx:v1.2.3").is_none());
    }

    #[test]
    fn window() {
        let v = |m| Version {
            major: 1,
            minor: m,
            patch: 0,
        };
        assert!(unsupported(v(31)).is_some_and(|m| m.contains("2025-10-28")));
        assert!(unsupported(v(20)).is_some_and(|m| m.contains("long ago")));
        assert!(unsupported(v(35)).is_none());
        assert!(unsupported(v(38)).is_none());
    }
}
