//! One module per subcommand. Each engine's module also says which rules it adds to the
//! registry (`rules()`) and which findings it adds to `rampart scan` (`scan_lints()`).

pub mod agent;
pub mod audit;
pub mod cis;
pub mod netpol;
pub mod pss;
pub mod rbac;
pub mod rules;
pub mod scan;
pub mod secrets;
pub mod webhook;
