//! Invite links and move files, as people will mangle them.

use driehoek_wire::invite::{Invite, InviteError, InviteFor};
use driehoek_wire::keys::DossierSecret;
use driehoek_wire::transfer::{self, Cost, TransferError};

fn secret(n: u8) -> DossierSecret {
    DossierSecret::from_bytes([n; 32])
}

/// Cheap enough for tests; the real cost is tested once below.
const TEST_COST: Cost = Cost {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

#[test]
fn an_invite_link_round_trips_with_and_without_a_role() {
    for made_for in [
        None,
        Some(InviteFor::Parent),
        Some(InviteFor::Child),
        Some(InviteFor::Teacher),
    ] {
        let invite = Invite::new(secret(7), made_for);
        let url = invite.to_url("https://driehoek.school.example/");
        assert!(
            url.starts_with("https://driehoek.school.example/#join="),
            "{url}"
        );
        assert_eq!(Invite::parse(&url), Ok(invite.clone()));
        assert_eq!(Invite::parse(&invite.fragment()), Ok(invite));
    }
}

#[test]
fn a_link_pasted_from_a_chat_still_reads() {
    let invite = Invite::new(secret(9), Some(InviteFor::Teacher));
    let url = invite.to_url("https://school.example");
    for pasted in [
        format!("  {url}\n"),
        format!("Hier is de link: {url}."),
        format!("<{url}>"),
        format!("({url})"),
    ] {
        assert_eq!(Invite::parse(&pasted), Ok(invite.clone()), "{pasted:?}");
    }
    // Just the fragment without its `#`, as some QR readers give it.
    let bare = invite.fragment().trim_start_matches('#').to_string();
    assert_eq!(Invite::parse(&bare), Ok(invite));
}

#[test]
fn a_re_founded_dossier_s_link_carries_its_key_epoch() {
    let invite = Invite::at_epoch(secret(8), Some(InviteFor::Teacher), 2);
    let url = invite.to_url("https://school.example");
    assert!(url.ends_with("&as=teacher&epoch=2"), "{url}");
    for pasted in [
        url.clone(),
        format!("Hier is de link: {url}."),
        format!("({url})"),
    ] {
        assert_eq!(Invite::parse(&pasted), Ok(invite.clone()), "{pasted:?}");
    }
    // Epoch 0 is left out, so links from before re-founding read as before.
    let first = Invite::new(secret(8), None);
    assert!(!first.fragment().contains("epoch"));
    assert_eq!(first.epoch, 0);
    // From an HTML e-mail, and followed by a second link: each keeps its own.
    let other = Invite::new(secret(9), None).to_url("https://school.example");
    let amp = url.replace('&', "&amp;");
    assert_eq!(Invite::parse(&amp), Ok(invite.clone()), "{amp}");
    assert_eq!(
        Invite::parse(&format!("{} {url}", other)),
        Ok(Invite::new(secret(9), None))
    );
    // Cut off inside the epoch's name: incomplete, not epoch 0.
    for cut in ["&e", "&epo", "&epoch"] {
        let fragment = format!("#join={}&as=teacher{cut}", secret(8).to_link_text());
        assert_eq!(
            Invite::parse(&fragment),
            Err(InviteError::Incomplete),
            "{cut}"
        );
    }
    // An epoch that is not a number opens nothing: a damaged link.
    for bad in ["&epoch=", "&epoch=x", "&epoch=99999999999"] {
        let fragment = format!("#join={}{bad}", secret(8).to_link_text());
        assert_eq!(Invite::parse(&fragment), Err(InviteError::Damaged), "{bad}");
    }
}

#[test]
fn an_unknown_role_hint_is_ignored_not_refused() {
    let fragment = format!("#join={}&as=grandparent&x=1", secret(3).to_link_text());
    assert_eq!(Invite::parse(&fragment), Ok(Invite::new(secret(3), None)),);
}

#[test]
fn a_cut_off_link_is_called_incomplete() {
    let url = Invite::new(secret(5), None).to_url("https://school.example");
    for cut in [1, 10, 42] {
        let short = &url[..url.len() - cut];
        assert_eq!(
            Invite::parse(short),
            Err(InviteError::Incomplete),
            "{short}"
        );
    }
    assert_eq!(
        Invite::parse("https://school.example/#join="),
        Err(InviteError::Incomplete)
    );
}

#[test]
fn a_changed_or_lengthened_secret_is_called_damaged() {
    let text = secret(5).to_link_text();
    // A character that is not base64url in the middle of the secret.
    let mut changed = text.clone();
    changed.replace_range(10..11, "+");
    assert_eq!(
        Invite::parse(&format!("#join={changed}")),
        Err(InviteError::Damaged)
    );
    // One character too many.
    assert_eq!(
        Invite::parse(&format!("#join={text}A")),
        Err(InviteError::Damaged)
    );
    // A last character whose two padding bits are not zero.
    let mut bad_end = text.clone();
    bad_end.replace_range(42..43, "B");
    assert_eq!(
        Invite::parse(&format!("#join={bad_end}")),
        Err(InviteError::Damaged)
    );
}

#[test]
fn text_without_an_invite_is_not_an_invite() {
    for text in [
        "",
        "https://school.example/",
        "hallo",
        "https://x.example/?join=abc",
        "rejoin=abc",
    ] {
        assert_eq!(
            Invite::parse(text),
            Err(InviteError::NotAnInvite),
            "{text:?}"
        );
    }
}

#[test]
fn a_move_file_round_trips_with_the_right_passphrase() {
    let payload = b"thirty dossiers and who I am in each".to_vec();
    let file = transfer::seal("paard zon fiets", &payload, TEST_COST).unwrap();
    assert!(
        !file.windows(7).any(|w| w == b"dossier"),
        "the payload is encrypted"
    );
    assert_eq!(transfer::open("paard zon fiets", &file), Ok(payload));
}

#[test]
fn a_move_file_at_the_real_cost_round_trips() {
    let file = transfer::seal("appelboom-7", b"x", transfer::DEFAULT_COST).unwrap();
    assert_eq!(transfer::open("appelboom-7", &file), Ok(b"x".to_vec()));
}

#[test]
fn a_wrong_passphrase_is_named_as_such() {
    let file = transfer::seal("paard zon fiets", b"geheim", TEST_COST).unwrap();
    assert_eq!(
        transfer::open("paard zon fietz", &file),
        Err(TransferError::WrongPassphrase)
    );
    assert_eq!(
        transfer::open("", &file),
        Err(TransferError::WrongPassphrase)
    );
}

#[test]
fn a_damaged_or_foreign_move_file_is_refused_clearly() {
    let file = transfer::seal("paard zon fiets", b"geheim genoeg", TEST_COST).unwrap();
    let mut flipped = file.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    assert_eq!(
        transfer::open("paard zon fiets", &flipped),
        Err(TransferError::Damaged)
    );
    assert_eq!(
        transfer::open("paard zon fiets", &file[..file.len() - 5]),
        Err(TransferError::Damaged)
    );
    assert_eq!(
        transfer::open("paard zon fiets", &file[..20]),
        Err(TransferError::Damaged)
    );
    assert_eq!(
        transfer::open("paard zon fiets", b"boodschappen: melk, brood"),
        Err(TransferError::NotAMoveFile)
    );
    let mut newer = file.clone();
    newer[13] = 9;
    assert_eq!(
        transfer::open("paard zon fiets", &newer),
        Err(TransferError::UnsupportedVersion(9))
    );
}

#[test]
fn a_changed_cost_is_caught_and_an_excessive_one_is_refused_before_work() {
    let file = transfer::seal("paard zon fiets", b"geheim", TEST_COST).unwrap();
    // t_cost 1 -> 2: the key changes and the header is associated data.
    let mut changed = file.clone();
    changed[18] = 2;
    assert!(transfer::open("paard zon fiets", &changed).is_err());
    // 4 GiB of memory asked for: refused without trying.
    let mut huge = file.clone();
    huge[14..18].copy_from_slice(&(4 * 1024 * 1024u32).to_le_bytes());
    assert_eq!(
        transfer::open("paard zon fiets", &huge),
        Err(TransferError::CostTooHigh)
    );
}

#[test]
fn a_short_passphrase_makes_no_file() {
    assert_eq!(
        transfer::seal("kort", b"x", TEST_COST),
        Err(TransferError::PassphraseTooShort)
    );
}

mod refounding {
    use driehoek_wire::SigningKey;
    use driehoek_wire::keys::DossierSecret;
    use driehoek_wire::refound::{
        NoticeFor, RefoundNotice, box_key_record, box_public, verify_box_key_record,
    };

    fn device(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    #[test]
    fn a_box_key_record_verifies_only_for_the_device_that_signed_it() {
        let phone = device(1);
        let record = box_key_record(&phone);
        let me = phone.verifying_key().to_bytes();
        assert_eq!(
            verify_box_key_record(&me, &record),
            Some(box_public(&phone))
        );
        let other = device(2).verifying_key().to_bytes();
        assert_eq!(verify_box_key_record(&other, &record), None);
        let mut swapped = record.clone();
        swapped[..32].copy_from_slice(&box_public(&device(2)));
        assert_eq!(
            verify_box_key_record(&me, &swapped),
            None,
            "another key under its name"
        );
        assert_eq!(verify_box_key_record(&me, &record[..95]), None);
    }

    #[test]
    fn the_box_key_is_not_the_signing_key_reused() {
        let phone = device(1);
        assert_ne!(
            box_public(&phone),
            phone.verifying_key().to_montgomery().to_bytes()
        );
    }

    #[test]
    fn each_recipient_opens_its_own_copy_and_nobody_else_opens_any() {
        let old = DossierSecret::from_bytes([1; 32]).dossier_id();
        let new = DossierSecret::from_bytes([2; 32]);
        let (a, b, outsider) = (device(1), device(2), device(3));
        let to = |k: &SigningKey| (k.verifying_key().to_bytes(), box_public(k));
        let notice = RefoundNotice::seal(&old, 4, &new, &[to(&a), to(&b)]).expect("seal");
        let back = RefoundNotice::decode(&notice.encode()).expect("decodes");
        assert_eq!(back, notice);
        for k in [&a, &b] {
            assert_eq!(
                back.open_for(&old, k).expect("opens"),
                NoticeFor::Secret(new.clone())
            );
        }
        assert_eq!(
            back.open_for(&old, &outsider).expect("no copy"),
            NoticeFor::LeftOut
        );
        // Bound to the old dossier and the epoch.
        let elsewhere = DossierSecret::from_bytes([9; 32]).dossier_id();
        assert!(back.open_for(&elsewhere, &a).is_err());
        let mut later = back.clone();
        later.epoch = 5;
        assert!(later.open_for(&old, &a).is_err());
        // A copy changed on the way does not open.
        let mut damaged = back.clone();
        damaged.keys[0].sealed[60] ^= 1;
        assert!(damaged.open_for(&old, &a).is_err());
    }

    #[test]
    fn a_notice_with_more_recipients_than_a_partnership_has_is_refused() {
        let old = DossierSecret::from_bytes([1; 32]).dossier_id();
        let new = DossierSecret::from_bytes([2; 32]);
        let k = device(1);
        let many = vec![(k.verifying_key().to_bytes(), box_public(&k)); 257];
        assert!(RefoundNotice::seal(&old, 1, &new, &many).is_err());
        assert!(RefoundNotice::decode(b"not cbor").is_err());
    }
}
