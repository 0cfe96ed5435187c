//! Renders findings as text, JSON, SARIF 2.1.0 and JUnit XML.
