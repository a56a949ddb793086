//! FHIR R4 requires nothing of a Patient: an export may hold patients without a date of
//! birth or without an identifier. `patients.birth_date` and `patients.mrn` become
//! nullable (the MRN stays unique among the patients that have one).
//!
//! PostgreSQL drops the `NOT NULL`s. SQLite cannot alter a column and every clinical
//! table refers to `patients` with `ON DELETE CASCADE`, so the table is rebuilt the way
//! SQLite documents it: foreign keys off, then in one transaction create the new shape
//! (the stored `CREATE TABLE` text with the two columns made nullable, so columns other
//! migrations added are kept), copy, drop, rename, re-create the indexes, check the
//! foreign keys, commit, foreign keys on. All of it is one script on one connection.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Makes column `name` of a SQLite `CREATE TABLE` text nullable.
fn nullable(sql: &str, name: &str) -> Option<String> {
    let start = sql.find(&format!("\"{name}\" "))?;
    let rest = &sql[start..];
    let end = rest
        .find(", \"")
        .or_else(|| rest.find(", FOREIGN"))
        .or_else(|| rest.rfind(" )"))?;
    let column = &rest[..end];
    let relaxed = column.replacen(" NOT NULL", " NULL", 1);
    Some(format!("{}{}{}", &sql[..start], relaxed, &rest[end..]))
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        if m.get_database_backend() == DbBackend::Postgres {
            for column in ["birth_date", "mrn"] {
                db.execute_unprepared(&format!(
                    "ALTER TABLE patients ALTER COLUMN {column} DROP NOT NULL"
                ))
                .await?;
            }
            return Ok(());
        }
        let rows = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = 'patients' AND sql IS NOT NULL",
            ))
            .await?;
        let mut table = None;
        let mut indexes = vec![];
        for r in rows {
            let kind: String = r.try_get("", "type")?;
            let sql: String = r.try_get("", "sql")?;
            if kind == "table" {
                table = Some(sql);
            } else {
                indexes.push(sql);
            }
        }
        let table = table.ok_or_else(|| DbErr::Migration("no patients table".into()))?;
        let shape = nullable(&table, "birth_date")
            .and_then(|s| nullable(&s, "mrn"))
            .ok_or_else(|| DbErr::Migration("unexpected patients table definition".into()))?
            .replacen(
                "CREATE TABLE \"patients\"",
                "CREATE TABLE \"patients_relaxed\"",
                1,
            );
        let script = format!(
            "PRAGMA foreign_keys = OFF;
             BEGIN IMMEDIATE;
             {shape};
             INSERT INTO patients_relaxed SELECT * FROM patients;
             DROP TABLE patients;
             ALTER TABLE patients_relaxed RENAME TO patients;
             {indexes}
             COMMIT;
             PRAGMA foreign_keys = ON;",
            indexes = indexes
                .iter()
                .map(|i| format!("{i};"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        db.execute_unprepared(&script).await?;
        let broken = db
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA foreign_key_check",
            ))
            .await?;
        if !broken.is_empty() {
            return Err(DbErr::Migration(
                "foreign keys broken after rebuilding patients".into(),
            ));
        }
        Ok(())
    }

    async fn down(&self, _m: &SchemaManager) -> Result<(), DbErr> {
        Err(DbErr::Migration(
            "patients without a date of birth or MRN cannot be made required again".into(),
        ))
    }

    fn use_transaction(&self) -> Option<bool> {
        // SQLite runs its own script (foreign keys can only be turned off outside a
        // transaction); PostgreSQL's two statements run in one.
        None
    }
}

#[cfg(test)]
mod tests {
    use super::nullable;

    #[test]
    fn a_column_of_a_create_table_text_becomes_nullable() {
        let sql = r#"CREATE TABLE "patients" ( "id" varchar(64) NOT NULL PRIMARY KEY, "mrn" varchar(64) NOT NULL UNIQUE, "birth_date" date_text NOT NULL, "sex" varchar(16) NOT NULL )"#;
        let out = nullable(&nullable(sql, "birth_date").unwrap(), "mrn").unwrap();
        assert_eq!(
            out,
            r#"CREATE TABLE "patients" ( "id" varchar(64) NOT NULL PRIMARY KEY, "mrn" varchar(64) NULL UNIQUE, "birth_date" date_text NULL, "sex" varchar(16) NOT NULL )"#
        );
    }
}
