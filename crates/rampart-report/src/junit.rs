//! JUnit XML: one test suite per file, one failing test case per finding, and one passing test
//! case for each file without findings, so CI dashboards show what was checked.

use std::collections::BTreeMap;

use quick_junit::{NonSuccessKind, Report as JReport, TestCase, TestCaseStatus, TestSuite};

use crate::Report;

pub fn to_junit(report: &Report<'_>) -> String {
    let mut by_file: BTreeMap<&str, Vec<TestCase>> = BTreeMap::new();
    for f in report.findings {
        let name = match &f.object {
            Some(o) => format!("{} {} {}:{}", f.rule, o.display(), f.line, f.column),
            None => format!("{} {}:{}", f.rule, f.line, f.column),
        };
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
        if let TestCaseStatus::NonSuccess {
            message,
            ty,
            description,
            ..
        } = &mut status
        {
            *message = Some(f.message.clone().into());
            *ty = Some(format!("{} {}", f.severity, f.name).into());
            *description = Some(
                format!(
                    "{}:{}:{}: {}\nfix: {}",
                    f.file, f.line, f.column, f.message, f.remediation
                )
                .into(),
            );
        }
        let mut tc = TestCase::new(name, status);
        tc.set_classname(f.name.clone());
        by_file.entry(f.file.as_str()).or_default().push(tc);
    }
    for e in report.errors {
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        if let TestCaseStatus::NonSuccess { message, ty, .. } = &mut status {
            *message = Some(e.message.clone().into());
            *ty = Some(e.code.into());
        }
        let tc = TestCase::new(format!("{} {}:{}", e.code, e.line, e.column), status);
        by_file.entry(e.file.as_str()).or_default().push(tc);
    }
    let mut junit = JReport::new("rampart");
    for (file, cases) in by_file {
        let mut suite = TestSuite::new(file);
        suite.add_test_cases(cases);
        junit.add_test_suite(suite);
    }
    if report.findings.is_empty() && report.errors.is_empty() {
        let mut suite = TestSuite::new("rampart");
        suite.add_test_case(TestCase::new(
            format!("{} objects scanned", report.summary.objects),
            TestCaseStatus::success(),
        ));
        junit.add_test_suite(suite);
    }
    junit.to_string().unwrap_or_default()
}
