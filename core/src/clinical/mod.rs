//! Clinical data in: the deterministic demo generator and the FHIR R4 importer.

pub mod demo;
pub mod fhir;
