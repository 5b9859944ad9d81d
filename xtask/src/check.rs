//! The memories of the built wasm modules. Without its link args the threaded build still
//! compiles and even loads, but with private memory, so every worker sees its own copy:
//! that silent failure is caught here instead of in the browser.

use anyhow::{bail, Context, Result};
use wasmparser::{Parser, Payload, TypeRef};

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Memories {
    pub imported_shared: usize,
    pub imported_unshared: usize,
    pub defined_shared: usize,
    pub defined_unshared: usize,
}

impl Memories {
    fn shared(&self) -> usize {
        self.imported_shared + self.defined_shared
    }
}

/// Counts the module's memories by where they come from and whether they are shared.
pub fn memories(wasm: &[u8]) -> Result<Memories> {
    let mut found = Memories::default();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.context("not a valid wasm module")? {
            Payload::ImportSection(imports) => {
                for import in imports.into_imports() {
                    if let TypeRef::Memory(memory) = import?.ty {
                        match memory.shared {
                            true => found.imported_shared += 1,
                            false => found.imported_unshared += 1,
                        }
                    }
                }
            }
            Payload::MemorySection(section) => {
                for memory in section {
                    match memory?.shared {
                        true => found.defined_shared += 1,
                        false => found.defined_unshared += 1,
                    }
                }
            }
            _ => {}
        }
    }
    Ok(found)
}

/// The threaded module must import its memory, shared, and have no other memory.
pub fn check_threaded(wasm: &[u8]) -> Result<()> {
    let found = memories(wasm)?;
    let only_shared_imported = Memories {
        imported_shared: found.imported_shared,
        ..Memories::default()
    };
    if found.imported_shared == 0 || found != only_shared_imported {
        bail!("threaded build has unshared memory: link args missing ({found:?})");
    }
    Ok(())
}

/// The plain module must not have shared memory: that would mean threaded flags leaked in.
pub fn check_plain(wasm: &[u8]) -> Result<()> {
    let found = memories(wasm)?;
    if found.shared() > 0 {
        bail!("plain build has shared memory: threaded flags leaked into it ({found:?})");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    fn section(id: u8, body: &[u8]) -> Vec<u8> {
        let mut bytes = vec![id, body.len() as u8];
        bytes.extend_from_slice(body);
        bytes
    }

    /// Limits flags: bit 0 = has maximum, bit 1 = shared.
    fn limits(shared: bool) -> Vec<u8> {
        if shared {
            vec![0x03, 1, 2]
        } else {
            vec![0x00, 1]
        }
    }

    /// A module importing `env.memory`.
    fn importing(shared: bool) -> Vec<u8> {
        let mut body = vec![
            1, 3, b'e', b'n', b'v', 6, b'm', b'e', b'm', b'o', b'r', b'y', 0x02,
        ];
        body.extend(limits(shared));
        [HEADER.to_vec(), section(2, &body)].concat()
    }

    /// A module defining its own memory.
    fn defining(shared: bool) -> Vec<u8> {
        let mut body = vec![1];
        body.extend(limits(shared));
        [HEADER.to_vec(), section(5, &body)].concat()
    }

    #[test]
    fn memories_are_counted() {
        assert_eq!(
            memories(&importing(true)).unwrap(),
            Memories {
                imported_shared: 1,
                ..Default::default()
            }
        );
        assert_eq!(
            memories(&defining(false)).unwrap(),
            Memories {
                defined_unshared: 1,
                ..Default::default()
            }
        );
        assert_eq!(memories(&HEADER).unwrap(), Memories::default());
    }

    #[test]
    fn threaded_needs_an_imported_shared_memory() {
        assert!(check_threaded(&importing(true)).is_ok());
        for wrong in [
            importing(false),
            defining(true),
            defining(false),
            HEADER.to_vec(),
        ] {
            let error = check_threaded(&wrong).unwrap_err().to_string();
            assert!(
                error.contains("threaded build has unshared memory: link args missing"),
                "{error}"
            );
        }
    }

    #[test]
    fn plain_must_not_share_memory() {
        assert!(check_plain(&defining(false)).is_ok());
        assert!(check_plain(&importing(false)).is_ok());
        assert!(check_plain(&importing(true)).is_err());
        assert!(check_plain(&defining(true)).is_err());
    }

    #[test]
    fn garbage_is_an_error_not_a_pass() {
        assert!(memories(b"not wasm").is_err());
        assert!(check_plain(b"not wasm").is_err());
    }
}
