//! Inventory of Secrets and their consumers (filled in below).
