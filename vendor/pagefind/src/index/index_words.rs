use minicbor::Encode;
use smallvec::SmallVec;

/// The word index chunks in `pagefind/index/`

/// A single word index chunk: `pagefind/index/*.pf_index`
#[derive(Encode)]
pub struct WordIndex {
    #[n(0)]
    pub words: Vec<PackedWord>,
}

/// A single word as an inverse index of all locations on the site
#[derive(Encode, Clone, Debug)]
pub struct PackedWord {
    #[n(0)]
    pub word: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
    #[n(2)]
    pub additional_variants: Vec<PackedVariant>,
}

/// A variant of a word with different diacritics (e.g., "café" vs "cafe")
#[derive(Encode, Clone, Debug)]
pub struct PackedVariant {
    #[n(0)]
    pub form: String,
    #[n(1)]
    pub pages: Vec<PackedPage>,
}

/// A set of locations on a given page
// fairguide patch (see PATCHES.md): the locations and the meta locations in
// one list that holds up to four values without a heap allocation. The whole
// index is held as these while it is built (one per word and page: millions
// at 10,000 pages), and most words are on a page a few times. Encoded exactly
// as the derived `[page_number, locs, meta_locs]` array was.
#[derive(Clone, Debug)]
pub struct PackedPage {
    pub page_number: usize, // Won't exceed u32 but saves us some into()s
    /// `locs`, then `meta_locs`.
    values: SmallVec<[i32; 4]>,
    /// Where `meta_locs` start in `values`.
    split: u32,
}

impl PackedPage {
    pub fn new(page_number: usize, locs: Vec<i32>, meta_locs: Vec<i32>) -> Self {
        let mut values = SmallVec::from_vec(locs);
        let split = values.len() as u32;
        values.extend(meta_locs);
        if values.spilled() {
            values.shrink_to_fit();
        }
        PackedPage {
            page_number,
            values,
            split,
        }
    }

    pub fn locs(&self) -> &[i32] {
        &self.values[..self.split as usize]
    }

    pub fn meta_locs(&self) -> &[i32] {
        &self.values[self.split as usize..]
    }

    pub fn set_meta_locs(&mut self, meta_locs: Vec<i32>) {
        self.values.truncate(self.split as usize);
        self.values.extend(meta_locs);
    }
}

impl<C> Encode<C> for PackedPage {
    fn encode<W: minicbor::encode::Write>(
        &self,
        e: &mut minicbor::Encoder<W>,
        ctx: &mut C,
    ) -> Result<(), minicbor::encode::Error<W::Error>> {
        e.array(3)?;
        self.page_number.encode(e, ctx)?;
        self.locs().encode(e, ctx)?;
        self.meta_locs().encode(e, ctx)?;
        Ok(())
    }
}
