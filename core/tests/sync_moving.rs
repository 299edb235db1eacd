//! The moving file: every dossier of a device to a new one under a
//! passphrase; a wrong passphrase or a damaged file brings nothing.
#![cfg(not(target_arch = "wasm32"))]

use driehoek_core::sync::moving::{self, MoveError, MovedDossier};
use driehoek_wire::keys::DossierSecret;
use driehoek_wire::transfer::{self, Cost, TransferError};

/// Cheap enough for a test, the same construction as the real cost.
const TEST_COST: Cost = Cost {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

fn class_of(n: u8) -> Vec<MovedDossier> {
    (0..n)
        .map(|i| MovedDossier {
            secret: DossierSecret::from_bytes([i; 32]),
            // Some re-founded once or twice.
            epoch: u32::from(i % 3),
            person: (i % 3 != 0).then(|| format!("juf-anna-{i}")),
            child_name: format!("Kind {i}"),
        })
        .collect()
}

#[test]
fn thirty_dossiers_move_in_one_file_with_who_uses_them() {
    let class = class_of(30);
    let file = moving::seal("lange zomer 2027", &class, TEST_COST).expect("seal");
    let back = moving::open("lange zomer 2027", &file).expect("open");
    assert_eq!(back.len(), 30);
    for (a, b) in class.iter().zip(&back) {
        assert!(a.secret == b.secret, "secret of {}", a.child_name);
        assert_eq!(
            (&a.person, &a.child_name, a.epoch),
            (&b.person, &b.child_name, b.epoch)
        );
    }
}

#[test]
fn a_file_from_before_re_founding_reads_as_epoch_zero() {
    let old = transfer::seal(
        "lange zomer 2027",
        format!(
            r#"{{"format":1,"dossiers":[{{"secret":"{}","child_name":"Noor"}}]}}"#,
            DossierSecret::from_bytes([4; 32]).to_link_text()
        )
        .as_bytes(),
        TEST_COST,
    )
    .expect("seal");
    let back = moving::open("lange zomer 2027", &old).expect("open");
    assert_eq!(back.len(), 1);
    assert_eq!((back[0].epoch, back[0].child_name.as_str()), (0, "Noor"));
}

#[test]
fn a_wrong_passphrase_opens_nothing() {
    let file = moving::seal("lange zomer 2027", &class_of(2), TEST_COST).expect("seal");
    assert!(matches!(
        moving::open("lange zomer 2028", &file),
        Err(MoveError::Transfer(TransferError::WrongPassphrase))
    ));
}

#[test]
fn a_damaged_file_or_another_file_is_refused() {
    let file = moving::seal("lange zomer 2027", &class_of(2), TEST_COST).expect("seal");
    let mut flipped = file.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert!(matches!(
        moving::open("lange zomer 2027", &flipped),
        Err(MoveError::Transfer(TransferError::Damaged))
    ));
    assert!(matches!(
        moving::open("lange zomer 2027", &file[..file.len() / 2]),
        Err(MoveError::Transfer(_))
    ));
    assert!(matches!(
        moving::open("lange zomer 2027", b"{\"dossiers\":[]}"),
        Err(MoveError::Transfer(TransferError::NotAMoveFile))
    ));
}

#[test]
fn a_sealed_file_that_holds_no_dossier_list_is_refused_whole() {
    let odd = transfer::seal(
        "lange zomer 2027",
        br#"{"format":1,"dossiers":[{"secret":"kort"}]}"#,
        TEST_COST,
    )
    .expect("seal");
    assert!(matches!(
        moving::open("lange zomer 2027", &odd),
        Err(MoveError::Unreadable)
    ));
    let newer = transfer::seal(
        "lange zomer 2027",
        br#"{"format":2,"dossiers":[]}"#,
        TEST_COST,
    )
    .expect("seal");
    assert!(matches!(
        moving::open("lange zomer 2027", &newer),
        Err(MoveError::Unreadable)
    ));
}

#[test]
fn a_short_passphrase_makes_no_file() {
    assert!(matches!(
        moving::seal("kort", &class_of(1), TEST_COST),
        Err(MoveError::Transfer(TransferError::PassphraseTooShort))
    ));
}
