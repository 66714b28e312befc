//! The files a build produces, before the write stage puts them on disk.

/// One file of the built site, by its path inside the output folder.
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}
