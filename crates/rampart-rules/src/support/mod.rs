//! Small pieces several rules share: image references, capabilities, host paths, resources.

pub mod caps;
pub mod host_path;
pub mod image;
pub mod resources;
