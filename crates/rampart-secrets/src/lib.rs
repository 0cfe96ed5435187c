//! Secret detectors, masking and Secret-management rules.
