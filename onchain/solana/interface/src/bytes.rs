//! Bounds-checked little/big-endian readers and writers for the fixed layouts.
//!
//! Account and instruction layouts are little-endian (Solana convention); signed device messages are
//! big-endian (PROTOCOL.md section 4). Every read and write is checked, so malformed input is an
//! error, never a panic.
//!
//! Everything here is `inline(always)`: each call site then copies a constant number of bytes, which
//! the SBPF build turns into plain loads and stores. Upstream LLVM's BPF backend cannot call
//! `memcpy`/`memset` for a length known only at run time (see `wide.rs` for the same limit on
//! 128-bit arithmetic), so no layout code may copy a variable-length range.

pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    #[inline(always)]
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    #[inline(always)]
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.pos.checked_add(n)?;
        let out = self.data.get(self.pos..end)?;
        self.pos = end;
        Some(out)
    }

    #[inline(always)]
    pub(crate) fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N).and_then(|s| s.try_into().ok())
    }

    #[inline(always)]
    pub(crate) fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|s| s[0])
    }

    #[inline(always)]
    pub(crate) fn u16_le(&mut self) -> Option<u16> {
        self.array().map(u16::from_le_bytes)
    }

    #[inline(always)]
    pub(crate) fn u32_le(&mut self) -> Option<u32> {
        self.array().map(u32::from_le_bytes)
    }

    #[inline(always)]
    pub(crate) fn u64_le(&mut self) -> Option<u64> {
        self.array().map(u64::from_le_bytes)
    }

    #[inline(always)]
    pub(crate) fn u16_be(&mut self) -> Option<u16> {
        self.array().map(u16::from_be_bytes)
    }

    #[inline(always)]
    pub(crate) fn u32_be(&mut self) -> Option<u32> {
        self.array().map(u32::from_be_bytes)
    }

    #[inline(always)]
    pub(crate) fn u64_be(&mut self) -> Option<u64> {
        self.array().map(u64::from_be_bytes)
    }

    #[inline(always)]
    pub(crate) fn is_empty(&self) -> bool {
        self.pos == self.data.len()
    }
}

/// Writes fields one after the other into a fixed buffer; `None` once a field would not fit.
pub(crate) struct Writer<'a> {
    out: &'a mut [u8],
    pos: usize,
}

impl<'a> Writer<'a> {
    #[inline(always)]
    pub(crate) fn new(out: &'a mut [u8]) -> Self {
        Self { out, pos: 0 }
    }

    #[inline(always)]
    pub(crate) fn put(&mut self, bytes: &[u8]) -> Option<()> {
        let end = self.pos.checked_add(bytes.len())?;
        self.out.get_mut(self.pos..end)?.copy_from_slice(bytes);
        self.pos = end;
        Some(())
    }

    #[inline(always)]
    pub(crate) fn u16_le(&mut self, v: u16) -> Option<()> {
        self.put(&v.to_le_bytes())
    }

    #[inline(always)]
    pub(crate) fn u32_le(&mut self, v: u32) -> Option<()> {
        self.put(&v.to_le_bytes())
    }

    #[inline(always)]
    pub(crate) fn u64_le(&mut self, v: u64) -> Option<()> {
        self.put(&v.to_le_bytes())
    }

    /// `n` zero bytes (reserved space); `n` is a constant at every call site, so the SBPF build
    /// stores them inline instead of calling `memset`, which its backend cannot call.
    #[inline(always)]
    pub(crate) fn zeros<const N: usize>(&mut self) -> Option<()> {
        self.put(&[0u8; N])
    }

    /// True once every byte of the buffer has been written.
    #[inline(always)]
    pub(crate) fn is_full(&self) -> bool {
        self.pos == self.out.len()
    }
}
