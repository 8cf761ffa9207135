//! Throw-away databases for tests (this crate's and the server's).
//!
//! Always compiled (integration tests of other crates cannot see
//! `#[cfg(test)]` items) and small: no test-only dependencies.
use tokio_postgres::NoTls;

/// The admin connection used to create and drop test databases.
pub const ADMIN_URL_ENV: &str = "PT_TEST_DATABASE_URL";
pub const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database of its own for one test; dropped (best effort) when this is dropped.
#[derive(Debug)]
pub struct TestDb {
    /// Connection URL of the new database.
    pub url: String,
    /// Its name, `pt_test_<uuid>`.
    pub name: String,
}

fn admin_url() -> String {
    std::env::var(ADMIN_URL_ENV).unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

/// `admin` with its database replaced by `db`; accepts URLs and `key=value` strings.
fn with_database(admin: &str, db: &str) -> String {
    let Some((scheme, rest)) = admin.split_once("://") else {
        // key=value form: a later key overrides an earlier one.
        return format!("{admin} dbname={db}");
    };
    let end_of_authority = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end_of_authority);
    let query = tail.find('?').map_or("", |i| &tail[i..]);
    format!("{scheme}://{authority}/{db}{query}")
}

async fn admin_client() -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(&admin_url(), NoTls).await?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// Creates an empty, uniquely named database (not migrated) and returns it.
///
/// Panics when the admin server cannot be reached: tests need it.
pub async fn fresh_db() -> TestDb {
    let name = format!("pt_test_{}", uuid::Uuid::new_v4().simple());
    let admin = admin_client()
        .await
        .unwrap_or_else(|e| panic!("cannot reach the test PostgreSQL at {} ({ADMIN_URL_ENV}): {e}", admin_url()));
    // Concurrent CREATE DATABASEs can collide on the template ("being
    // accessed by other users"); a short retry absorbs that.
    let mut attempt = 0;
    loop {
        match admin.batch_execute(&format!("CREATE DATABASE {name}")).await {
            Ok(()) => break,
            Err(e) if attempt < 20 && e.code() == Some(&tokio_postgres::error::SqlState::OBJECT_IN_USE) => {
                attempt += 1;
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("cannot create test database {name}: {e:?}"),
        }
    }
    TestDb { url: with_database(&admin_url(), &name), name }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        // A thread of its own with its own runtime: Drop cannot await, and
        // blocking on a runtime from inside another one panics.
        let name = self.name.clone();
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let admin = admin_client().await.ok()?;
                admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok()
            })
        })
        .join();
        if !matches!(dropped, Ok(Some(()))) {
            eprintln!("warning: could not drop test database {}", self.name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_is_replaced_in_urls_and_key_value_strings() {
        assert_eq!(with_database("postgres://u@h:5432/postgres", "x"), "postgres://u@h:5432/x");
        assert_eq!(with_database("postgres://u@h/postgres?sslmode=disable", "x"), "postgres://u@h/x?sslmode=disable");
        assert_eq!(with_database("postgresql://u@h", "x"), "postgresql://u@h/x");
        assert_eq!(with_database("host=h user=u dbname=postgres", "x"), "host=h user=u dbname=postgres dbname=x");
    }
}
