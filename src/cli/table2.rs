//! `tnproof table2`: Table 2 of Khrulkov, Novikov, Oseledets 2018, decided and certified by the
//! library (`tnproof::table2`), written as `table2.md` with the generated cases (`cases/`) and
//! their certificates (`certificates/`), everything decided before anything is written.

use super::{io, print_report, refuse_foreign_files, write_certificates};
use std::path::Path;
use std::process::ExitCode;
use tnproof::case::ResourceLimit;
use tnproof::certificate::InstanceResult;
use tnproof::run::RunError;

pub fn table2(out: &Path, limit: ResourceLimit) -> Result<ExitCode, RunError> {
    let certificates = out.join("certificates");
    refuse_foreign_files(&certificates)?;
    let points = tnproof::table2::run(&tnproof::table2::POINTS, limit)?;
    let markdown = tnproof::table2::markdown(&points);
    let cases = out.join("cases");
    std::fs::create_dir_all(&cases).map_err(|e| io(&cases, e))?;
    let mut results = Vec::new();
    for (_, columns) in points {
        for column in columns {
            let path = cases.join(column.case.source_file.file_name());
            std::fs::write(&path, &column.case.source_file.text).map_err(|e| io(&path, e))?;
            results.push((column.case, vec![column.result]));
        }
    }
    write_certificates(&certificates, &results)?;
    let path = out.join("table2.md");
    std::fs::write(&path, &markdown).map_err(|e| io(&path, e))?;
    print!("{markdown}");
    print_report(&results, false);
    let all_expected = results.iter().all(|(_, rs)| rs.iter().all(InstanceResult::as_expected));
    Ok(if all_expected {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
