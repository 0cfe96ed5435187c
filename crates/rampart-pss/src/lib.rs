//! Pod Security Standards checks for every level and version, and PodSecurityConfiguration.
