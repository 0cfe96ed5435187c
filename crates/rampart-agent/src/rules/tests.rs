//! Rule-engine tests: every shipped rule against its fixtures in
//! `resources/test/fixtures/runtime/<RULE-ID>/{fires,passes}.yaml`, plus validation errors.

use super::*;
