//! The two theorems' witnesses at random parameters: on indices 1..q the odd/even matricization
//! is the identity of size q^(d/2) (Khrulkov 2018 eq. 11 with q = min(n, r); Alkin 2024 with
//! q = min(n, r - 1)), and Alkin's Lemma 3 path holds with exactly q^(d/2) non-zero summands.

mod common;

use common::{alkin, khrulkov, run_case, ALKIN_INNER, KHRULKOV_CORE};
use proptest::prelude::*;
use tnproof::claim::{Evidence, Verdict};

const IDENTITY: &str = "[[claim]]\nkind = \"identity-submatrix\"\nmatricization = \"odd-even\"\nq = \"q\"";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn khrulkov_witness_has_the_identity_block(n in 1i64..=6, r in 1i64..=6, half in 1i64..=3) {
        let results = run_case(&khrulkov(n, r, 2 * half, KHRULKOV_CORE, IDENTITY));
        let q = n.min(r) as usize;
        prop_assert_eq!(results[0].outcomes[0].verdict, Verdict::Holds);
        prop_assert_eq!(&results[0].outcomes[0].evidence, &Evidence::IdentityBlock { q, size: q.pow(half as u32) });
    }

    #[test]
    fn alkin_witness_has_the_identity_block_and_lemma_3(n in 1i64..=6, r in 2i64..=6, half in 1i64..=3) {
        let claims = format!("{IDENTITY}\n[[claim]]\nkind = \"support-structure\"\npath = \"if k % 2 == 1 {{ i }} else {{ q + 1 }}\"");
        let results = run_case(&alkin(n, r, 2 * half, ALKIN_INNER, &claims));
        let q = n.min(r - 1) as usize;
        let outcomes = &results[0].outcomes;
        prop_assert_eq!(&outcomes[0].evidence, &Evidence::IdentityBlock { q, size: q.pow(half as u32) });
        prop_assert_eq!(&outcomes[1].evidence, &Evidence::SupportHolds { q, d: 2 * half as usize, nonzero_summands: (q.pow(half as u32) as u64).into() });
    }
}
