//! What only the embedded store has: opening a data directory.

use super::*;

#[test]
fn an_unusable_data_directory_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    std::fs::write(&file, b"not a directory").unwrap();
    let wanted = file.join("sub");
    let err = SqliteStore::open(&wanted).expect_err("a directory below a regular file cannot exist");
    let message = err.to_string();
    assert!(message.contains(&wanted.display().to_string()), "names the path: {message}");
    assert!(message.contains("Not a directory") || message.contains("os error"), "gives the OS reason: {message}");

    // The data directory itself being a regular file fails as clearly.
    let err = SqliteStore::open(&file).expect_err("a regular file is no data directory");
    let message = err.to_string();
    assert!(message.contains(&file.display().to_string()) && message.contains("not a directory"), "{message}");
}

#[tokio::test]
async fn open_creates_the_directory_and_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("a").join("b");
    let store = SqliteStore::open(&dir).unwrap();
    assert_eq!(store.path(), dir.join(pt_actors::store::sqlite::FILE_NAME));
    assert!(store.path().is_file());
    store.migrate().await.unwrap();
    store.ready().await.unwrap();
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("probe"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
